import type { FieldSpec } from './fields';
import { objectSchema } from './fields';
import type { Preset } from './heart';

const counter = (n: number, help: string) =>
  ({
    name: `metric${n}`,
    label: `Metric ${n}`,
    unit: 'count',
    kind: 'integer',
    min: 0,
    max: 2_147_483_647,
    help,
    aliases: [`attribute${n}`],
  }) as const satisfies FieldSpec;

/**
 * Device telemetry: anonymous non-negative daily integer counters. metricN is the data's
 * attributeN; metric8 duplicates metric7 and is not a model input.
 */
export const deviceFields = [
  counter(1, 'Daily reading of attribute 1 (large counter, up to hundreds of millions).'),
  counter(2, 'Daily reading of attribute 2.'),
  counter(3, 'Daily reading of attribute 3.'),
  counter(4, 'Daily reading of attribute 4.'),
  counter(5, 'Daily reading of attribute 5.'),
  counter(6, 'Daily reading of attribute 6.'),
  counter(7, 'Daily reading of attribute 7 (attribute 8 repeats it and is not used).'),
  counter(9, 'Daily reading of attribute 9.'),
] as const satisfies readonly FieldSpec[];

export type DeviceField = (typeof deviceFields)[number]['name'];
export type DeviceReading = Record<DeviceField, number>;

/** Columns that are ignored when present in a file (duplicates of another column). */
export const deviceIgnoredColumns = ['metric8', 'attribute8'] as const;

export const deviceLabelColumn = 'failure';

export const deviceSchema = objectSchema(deviceFields, { strict: false });

export const devicePresets: Preset<DeviceReading>[] = [
  {
    id: 'seed-sample',
    label: 'Sample request of the replaced service',
    values: { metric1: 215630672, metric2: 56, metric3: 0, metric4: 52, metric5: 6, metric6: 407438, metric7: 0, metric9: 7 },
  },
  {
    id: 'quiet-device',
    label: 'Quiet device, all error counters at zero',
    values: { metric1: 120000000, metric2: 0, metric3: 0, metric4: 0, metric5: 11, metric6: 230000, metric7: 0, metric9: 0 },
  },
  {
    id: 'noisy-device',
    label: 'Device with many errors on counters 2, 4 and 7',
    values: { metric1: 98000000, metric2: 2400, metric3: 0, metric4: 85, metric5: 12, metric6: 290000, metric7: 56, metric9: 3 },
  },
];
