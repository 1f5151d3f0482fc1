import type { DomainSpec, Outcome, SeedService } from './domain-spec';
import { fhirMappingSchema } from './fhir/mapping';
import type { FieldSpec } from './field-spec';
import { historyOps } from './history';
import { inspectionsDeclaration, toInspectionSpec } from './inspections';
import { z } from './zod';

/**
 * The shape of a domain declaration, `domains/<id>.json`: the one description of a domain,
 * read by the training pipeline (Python) and by the app. Keys are snake_case because both
 * languages read the same file; `toDomainSpec` gives the app its camelCase view.
 */

const fieldKind = z.enum(['number', 'integer', 'yes-no', 'sex']);

const fieldDeclaration = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  label: z.string().min(1),
  unit: z.string(),
  kind: fieldKind,
  min: z.number(),
  max: z.number(),
  help: z.string(),
  aliases: z.array(z.string()).optional(),
  /** The form may leave it blank (a model that reads it then says what it needs). */
  optional_in_form: z.boolean().optional(),
  form_note: z.string().optional(),
  /** Other units in clinical use: value in that unit = value in `unit` x factor. */
  units: z
    .array(
      z.object({
        id: z.string().min(1),
        label: z.string().min(1),
        factor: z.number().positive(),
        column_suffix: z
          .string()
          .regex(/^[a-z0-9_]+$/)
          .optional(),
      }),
    )
    .optional(),
  /** How the field is read from a FHIR R4 record (src/domain/fhir/mapping.ts). */
  fhir: fhirMappingSchema.optional(),
});

/** What the positive class means in words, and the bands a probability falls in (app only). */
const outcomeDeclaration = z.object({
  /** The event and its horizon: "death during follow-up of about 4 months, as in the study". */
  positive: z.string().min(1),
  /** Ascending lower bounds; the first starts at 0. */
  risk_bands: z
    .array(
      z.object({
        from: z.number().min(0).max(1),
        label: z.string().min(1),
        note: z.string().optional(),
        /** The band's code in HL7's risk-probability code system (a FHIR RiskAssessment's qualitativeRisk). */
        fhir_code: z.enum(['negligible', 'low', 'moderate', 'high', 'certain']).optional(),
      }),
    )
    .min(1),
  /** When the outcome may happen, counted from the prediction (a FHIR RiskAssessment's prediction.whenRange). */
  horizon: z.object({ low_days: z.number().min(0), high_days: z.number().positive(), text: z.string().min(1) }).optional(),
  /** One short line: why the models' figures differ and which one is the default. */
  models_differ: z.string().optional(),
});

const valuesSchema = z.record(z.string(), z.number());

const modelDeclaration = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  default: z.boolean(),
  seed: z.boolean().optional(),
  /** What `features` names: the domain's fields (default) or its history features (`history`). */
  input: z.enum(['fields', 'history']).optional(),
  features: z.array(z.string()).min(1),
  /**
   * The inputs the model actually reads, when fewer than its graph takes (the others are
   * accepted and change nothing): the form predicts once these are filled.
   */
  reads: z.array(z.string()).min(1).optional(),
  recipe: z.looseObject({ name: z.string() }),
  title: z.string(),
  intended_use: z.string(),
  limitations: z.array(z.string()),
});

export const domainDeclarationSchema = z.looseObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  order: z.number(),
  title: z.string().min(1),
  subject: z.string().min(1),
  nav: z.object({ predict: z.string().min(1), batch: z.string().min(1) }),
  form_intro: z.string(),
  fields: z.array(fieldDeclaration).min(1),
  ignored_columns: z.array(z.string()),
  data: z.looseObject({
    file: z.string(),
    label_column: z.string(),
    group_column: z.string().nullable(),
    class_labels: z.tuple([z.string(), z.string()]),
  }),
  presets: z.array(z.object({ id: z.string(), label: z.string(), values: valuesSchema })),
  seed_service: z
    .object({
      name: z.string(),
      model: z.string(),
      preset_label: z.string(),
      /** The key that holds the fields in a request body, or null when they are at the top level. */
      request_wrapper: z.string().nullable(),
      sample_request: valuesSchema,
      response: z.array(z.object({ key: z.string(), value: z.enum(['class', 'probability-rounded-2', 'probability-percent-1', 'timestamp']) })),
    })
    .nullable()
    .optional(),
  outcome: outcomeDeclaration.optional(),
  /** The old place of each model's `reads` (keyed by model id): refused with a word on where it went. */
  model_reads: z.record(z.string(), z.unknown()).optional(),
  /** A daily log's derived features (src/domain/history.ts): one declaration, computed in both languages. */
  history: z
    .looseObject({
      date_column: z.string().min(1),
      entity_column: z.string().min(1),
      /** A device with more days than this between two readings has a gap (reported, not refused). */
      gap_days: z.number().int().positive().optional(),
      features: z
        .array(
          z.object({
            name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
            op: z.enum(historyOps),
            of: z.string().optional(),
            days: z.number().int().positive().optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  /** What an inspection vouches for and the hold-back rule (src/domain/inspections.ts). */
  inspections: inspectionsDeclaration.optional(),
  models: z.array(modelDeclaration).min(1),
});

export type DomainDeclaration = z.infer<typeof domainDeclarationSchema>;
export type SeedResponseValue = NonNullable<DomainDeclaration['seed_service']>['response'][number]['value'];

/** Validate a parsed declaration; the error names the file and the first bad key. */
export function parseDeclaration(json: unknown, source: string): DomainDeclaration {
  const r = domainDeclarationSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source} is not a valid domain declaration: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  const d = r.data;
  const names = new Set(d.fields.map((f) => f.name));
  const check = (cond: boolean, msg: string) => {
    if (!cond) throw new Error(`${source}: ${msg}`);
  };
  const h = d.history;
  const historyNames = new Set(h?.features.map((f) => f.name) ?? []);
  if (h) {
    check(historyNames.size === h.features.length, 'history.features: two features share a name');
    for (const f of h.features) {
      const needsField = f.op !== 'days_since_first' && f.op !== 'days_since_previous';
      if (needsField)
        check(
          f.of !== undefined && names.has(f.of),
          `history feature ${f.name} (${f.op}) must read a field ("of"), got ${JSON.stringify(f.of ?? null)}`,
        );
      const windowed = f.op.startsWith('window_');
      check(windowed === (f.days !== undefined), `history feature ${f.name}: ${windowed ? `${f.op} needs "days"` : `${f.op} takes no "days"`}`);
    }
  }
  for (const m of d.models) {
    if (m.input === 'history') {
      check(h !== undefined, `model ${m.id} reads history features, but the domain declares no "history"`);
      for (const f of m.features) check(historyNames.has(f), `model ${m.id} reads "${f}", which is not a history feature`);
    } else {
      for (const f of m.features) check(names.has(f), `model ${m.id} reads "${f}", which is not a field`);
    }
  }
  check(!d.inspections || h !== undefined, 'inspections need the domain\'s "history" (a daily log)');
  // The default is the form's and the batch view's model: one row's fields.
  const fieldModels = d.models.filter((m) => m.input !== 'history');
  check(fieldModels.filter((m) => m.default).length === 1, 'exactly one model that reads fields must be the default');
  const presets = [...d.presets, ...(d.seed_service ? [{ id: 'seed', values: d.seed_service.sample_request }] : [])];
  for (const p of presets) {
    for (const k of Object.keys(p.values)) check(names.has(k), `example "${p.id}" sets "${k}", which is not a field`);
  }
  const oldReads = Object.keys(d.model_reads ?? {});
  check(
    oldReads.length === 0,
    `model_reads names ${oldReads.map((id) => `"${id}"`).join(', ')}: list a model's inputs read as "reads" in its own entry`,
  );
  for (const m of d.models) for (const f of m.reads ?? []) check(m.features.includes(f), `model ${m.id} reads: it does not take "${f}" as an input`);
  const bands = d.outcome?.risk_bands ?? [];
  check(bands.length === 0 || bands[0]!.from === 0, 'outcome.risk_bands must start at 0');
  for (let i = 1; i < bands.length; i++) check(bands[i]!.from > bands[i - 1]!.from, 'outcome.risk_bands must ascend');
  for (const f of d.fields) {
    for (const u of f.units ?? []) check(u.id !== f.unit, `field ${f.name}: unit "${u.id}" repeats the field's own unit`);
    const known = [f.unit, ...(f.units ?? []).map((u) => u.id)];
    if (f.fhir?.from === 'observation') {
      for (const [ucum, id] of Object.entries(f.fhir.units ?? {}))
        check(known.includes(id), `field ${f.name}: fhir unit "${ucum}" maps to "${id}", which is not one of its units (${known.join(', ')})`);
      check(
        (f.fhir.units !== undefined) !== (f.fhir.answers !== undefined),
        `field ${f.name}: fhir declares either "units" (a quantity) or "answers" (a coded value)`,
      );
    }
  }
  if (d.seed_service) {
    const seedModel = d.seed_service.model;
    check(
      d.models.some((m) => m.id === seedModel),
      `seed_service.model "${seedModel}" is not a model of the domain`,
    );
  }
  return d;
}

export function toDomainSpec(d: DomainDeclaration): DomainSpec {
  const fields: FieldSpec[] = d.fields.map((f) => ({
    name: f.name,
    label: f.label,
    unit: f.unit,
    kind: f.kind,
    min: f.min,
    max: f.max,
    help: f.help,
    ...(f.aliases ? { aliases: f.aliases } : {}),
    ...(f.optional_in_form ? { optionalInForm: true } : {}),
    ...(f.form_note ? { formNote: f.form_note } : {}),
    ...(f.fhir ? { fhir: f.fhir } : {}),
    ...(f.units
      ? {
          units: f.units.map((u) => ({
            id: u.id,
            label: u.label,
            factor: u.factor,
            ...(u.column_suffix ? { columnSuffix: u.column_suffix } : {}),
          })),
        }
      : {}),
  }));
  const o = d.outcome;
  const outcome: Outcome | null = o
    ? {
        positive: o.positive,
        riskBands: o.risk_bands.map((b) => ({
          from: b.from,
          label: b.label,
          ...(b.note ? { note: b.note } : {}),
          ...(b.fhir_code ? { fhirCode: b.fhir_code } : {}),
        })),
        ...(o.models_differ ? { modelsDiffer: o.models_differ } : {}),
        ...(o.horizon ? { horizon: { lowDays: o.horizon.low_days, highDays: o.horizon.high_days, text: o.horizon.text } } : {}),
      }
    : null;
  const s = d.seed_service ?? null;
  const seed: SeedService | null = s
    ? { name: s.name, modelId: s.model, requestWrapper: s.request_wrapper, sampleRequest: s.sample_request, response: s.response }
    : null;
  return {
    id: d.id,
    order: d.order,
    title: d.title,
    subject: d.subject,
    nav: d.nav,
    formIntro: d.form_intro,
    fields,
    labelColumn: d.data.label_column,
    classLabels: d.data.class_labels,
    ignoredColumns: d.ignored_columns,
    presets: d.presets,
    seedSampleLabel: s ? s.preset_label : null,
    outcome,
    modelReads: Object.fromEntries(d.models.flatMap((m) => (m.reads ? [[m.id, m.reads]] : []))),
    seed,
    modelIds: d.models.filter((m) => m.input !== 'history').map((m) => m.id),
    history: d.history
      ? {
          dateColumn: d.history.date_column,
          entityColumn: d.history.entity_column,
          ...(d.history.gap_days !== undefined ? { gapDays: d.history.gap_days } : {}),
          features: d.history.features.map((f) => ({
            name: f.name,
            op: f.op,
            ...(f.of !== undefined ? { of: f.of } : {}),
            ...(f.days !== undefined ? { days: f.days } : {}),
          })),
        }
      : null,
    historyModelIds: d.models.filter((m) => m.input === 'history').map((m) => m.id),
    inspections: d.inspections ? toInspectionSpec(d.inspections) : null,
  };
}
