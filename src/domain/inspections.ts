import { formatIsoDay } from './history';
import { z } from './zod';

/**
 * Inspections of a fleet's devices: what one vouches for and how the Fleet list uses it.
 * Declared once (`inspections` in domains/<id>.json), read by training (policy.py evaluates the
 * rule out of fold) and here (the live list and the user's own simulation, fleet-policy.ts).
 *
 * The rule: an inspection whose outcome `holds_back` (nothing found) on day d keeps the device
 * out of the daily top K on days d .. d + holdDays, unless its P(failure) that day reaches
 * riseFactor times its P(failure) on the inspection day (it comes back early).
 */

const words = z.array(z.string().min(1));

export const inspectionsDeclaration = z.object({
  note: z.string().optional(),
  cover_days: z.number().int().positive(),
  hold_days: z.number().int().positive(),
  rise_factor: z.number().gt(1),
  evaluate: z.object({ k: z.array(z.number().int().positive()).min(1), hold_days: z.array(z.number().int().positive()).min(1) }),
  columns: z.object({ source: z.string().optional(), entity: words.min(1), date: words.min(1), outcome: words.min(1), note: words }),
  outcomes: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), label: z.string().min(1), holds_back: z.boolean(), aliases: words })).min(1),
});
export type InspectionsDeclaration = z.infer<typeof inspectionsDeclaration>;

export interface InspectionOutcome {
  id: string;
  label: string;
  /** Nothing found: the device is held back for holdDays. */
  holdsBack: boolean;
  aliases: readonly string[];
}

export interface InspectionSpec {
  /** Days after an inspection within which a failure counts as one it would have found. */
  coverDays: number;
  /** Default hold-back after an inspection that found nothing (the user may change it). */
  holdDays: number;
  riseFactor: number;
  evaluate: { k: readonly number[]; holdDays: readonly number[] };
  columns: { entity: readonly string[]; date: readonly string[]; outcome: readonly string[]; note: readonly string[] };
  outcomes: readonly InspectionOutcome[];
}

export function toInspectionSpec(d: InspectionsDeclaration): InspectionSpec {
  return {
    coverDays: d.cover_days,
    holdDays: d.hold_days,
    riseFactor: d.rise_factor,
    evaluate: { k: d.evaluate.k, holdDays: d.evaluate.hold_days },
    columns: { entity: d.columns.entity, date: d.columns.date, outcome: d.columns.outcome, note: d.columns.note },
    outcomes: d.outcomes.map((o) => ({ id: o.id, label: o.label, holdsBack: o.holds_back, aliases: o.aliases })),
  };
}

/** One recorded inspection. `day`: days since 1970-01-01. */
export interface Inspection {
  entity: string;
  day: number;
  outcome: string;
  note: string;
}

/** The hold-back rule's parameters as the user set them. */
export interface HoldRule {
  holdDays: number;
  riseFactor: number;
}

export interface HoldState {
  held: boolean;
  /** The inspection that holds the device back (or held it, when it came back early). */
  inspection: Inspection;
  /** Last day of the hold-back. */
  until: number;
  /** Its risk rose by the factor since the inspection: back early. */
  backEarly: boolean;
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** The outcome a word means (its id, its label or an alias, in any case and spacing), or null. */
export function outcomeOf(spec: InspectionSpec, word: string): InspectionOutcome | null {
  const w = norm(word);
  return spec.outcomes.find((o) => norm(o.id) === w || norm(o.label) === w || o.aliases.some((a) => norm(a) === w)) ?? null;
}

/**
 * Whether a device is held back on `day`. `inspection`: its latest inspection on or before that
 * day; `pAtInspection`: its P(failure) on the inspection day (null when it had no reading then:
 * no early return); `pNow`: its P(failure) on `day`.
 */
export function holdState(
  spec: InspectionSpec,
  rule: HoldRule,
  inspection: Inspection | undefined,
  day: number,
  pAtInspection: number | null,
  pNow: number,
): HoldState | null {
  if (!inspection || inspection.day > day) return null;
  const outcome = spec.outcomes.find((o) => o.id === inspection.outcome);
  if (!outcome?.holdsBack || rule.holdDays <= 0) return null;
  const until = inspection.day + rule.holdDays;
  if (day > until) return null;
  const backEarly = pAtInspection !== null && pAtInspection > 0 && pNow >= rule.riseFactor * pAtInspection;
  return { held: !backEarly, inspection, until, backEarly };
}

/** "inspected 2015-10-30, nothing found: held back until 2015-11-06" */
export function holdReason(spec: InspectionSpec, s: HoldState): string {
  const label = spec.outcomes.find((o) => o.id === s.inspection.outcome)?.label ?? s.inspection.outcome;
  const head = `inspected ${formatIsoDay(s.inspection.day)}, ${label.toLowerCase()}`;
  return s.backEarly
    ? `${head}: back before ${formatIsoDay(s.until)} because its risk has risen since`
    : `${head}: held back until ${formatIsoDay(s.until)}`;
}

/** The latest inspection of each device on or before `day` (inspections in any order). */
export function latestInspections(inspections: readonly Inspection[], day: number): Map<string, Inspection> {
  const out = new Map<string, Inspection>();
  for (const i of inspections) {
    if (i.day > day) continue;
    const prev = out.get(i.entity);
    if (!prev || i.day >= prev.day) out.set(i.entity, i);
  }
  return out;
}
