import type { FieldSpec } from './fields';
import { objectSchema } from './fields';
import type { z } from 'zod';

/** Heart failure inputs, named as in the replaced service and the UCI data set. */
export const heartFields = [
  { name: 'age', label: 'Age', unit: 'years', kind: 'number', min: 18, max: 120, help: 'Age at the visit.' },
  { name: 'anaemia', label: 'Anaemia', unit: '', kind: 'yes-no', min: 0, max: 1, help: 'Decrease of red blood cells or haemoglobin.' },
  {
    name: 'creatinine_phosphokinase', label: 'Creatinine phosphokinase (CPK)', unit: 'mcg/L', kind: 'integer', min: 0, max: 200000,
    help: 'Level of the CPK enzyme in the blood.',
  },
  { name: 'diabetes', label: 'Diabetes', unit: '', kind: 'yes-no', min: 0, max: 1, help: 'Whether the patient has diabetes.' },
  {
    name: 'ejection_fraction', label: 'Ejection fraction', unit: '%', kind: 'integer', min: 1, max: 100,
    help: 'Share of blood leaving the heart at each contraction.',
  },
  { name: 'high_blood_pressure', label: 'High blood pressure', unit: '', kind: 'yes-no', min: 0, max: 1, help: 'Whether the patient has hypertension.' },
  {
    name: 'platelets', label: 'Platelets', unit: 'kiloplatelets/mL', kind: 'number', min: 1000, max: 2000000,
    help: 'Platelets in the blood (e.g. 263000 for 263 × 10⁹/L).',
  },
  { name: 'serum_creatinine', label: 'Serum creatinine', unit: 'mg/dL', kind: 'number', min: 0.1, max: 30, help: 'Level of creatinine in the blood.' },
  { name: 'serum_sodium', label: 'Serum sodium', unit: 'mEq/L', kind: 'integer', min: 90, max: 180, help: 'Level of sodium in the blood.' },
  { name: 'sex', label: 'Sex', unit: '', kind: 'sex', min: 0, max: 1, help: 'Woman (0) or man (1), as in the training data.' },
  { name: 'smoking', label: 'Smoking', unit: '', kind: 'yes-no', min: 0, max: 1, help: 'Whether the patient smokes.' },
  {
    name: 'time', label: 'Follow-up period', unit: 'days', kind: 'integer', min: 0, max: 3650,
    help: 'Length of follow-up. Known only after the outcome: used only by the seed-compatible model.',
  },
] as const satisfies readonly FieldSpec[];

export type HeartField = (typeof heartFields)[number]['name'];

/** Only the seed-compatible model reads `time`. */
export const HEART_TIME_FIELD = 'time';

export const heartLabelColumn = 'DEATH_EVENT';

export const heartSchema = objectSchema(heartFields, { strict: false });
export type Patient = Record<HeartField, number>;
export type PatientInput = z.input<typeof heartSchema>;

export interface Preset<T> {
  id: string;
  label: string;
  values: T;
}

export const heartPresets: Preset<Patient>[] = [
  {
    id: 'seed-sample',
    label: 'Sample request of the replaced service',
    values: {
      age: 20, anaemia: 0, creatinine_phosphokinase: 800, diabetes: 0, ejection_fraction: 20, high_blood_pressure: 0,
      platelets: 150000, serum_creatinine: 1.5, serum_sodium: 110, sex: 1, smoking: 0, time: 3,
    },
  },
  {
    id: 'stable-outpatient',
    label: 'Stable outpatient, preserved ejection fraction',
    values: {
      age: 58, anaemia: 0, creatinine_phosphokinase: 160, diabetes: 1, ejection_fraction: 45, high_blood_pressure: 0,
      platelets: 270000, serum_creatinine: 0.9, serum_sodium: 139, sex: 0, smoking: 0, time: 180,
    },
  },
  {
    id: 'renal-low-ef',
    label: 'Older patient, low ejection fraction, raised creatinine',
    values: {
      age: 78, anaemia: 1, creatinine_phosphokinase: 580, diabetes: 0, ejection_fraction: 25, high_blood_pressure: 1,
      platelets: 220000, serum_creatinine: 2.3, serum_sodium: 131, sex: 1, smoking: 1, time: 30,
    },
  },
];
