import type { DomainSpec } from '@/domain/domains';
import type { FieldSpec } from '@/domain/field-spec';
import type { UnitSpec } from '@/domain/units';

/** CSV column matching: which header cell gives which field, the label, or passes through. */

export interface ColumnRef {
  /** Position in the file's header (0-based). */
  index: number;
  /** The column's name as written in the file (BOM stripped). */
  name: string;
}

export interface FeatureColumn extends ColumnRef {
  field: FieldSpec;
  /** The unit named by the header's suffix (serum_creatinine_umol_l), when it names one. */
  headerUnit?: UnitSpec;
  /**
   * An input the model takes but does not read, absent from the file (then `index` is -1): every
   * row gets this value (its training median, in the model's unit), which changes no result.
   */
  fill?: number;
}

export interface ColumnMap {
  /** Header cells as read, in file order (BOM stripped, otherwise untouched). */
  header: string[];
  /** One per model input, in the requested feature order. */
  features: FeatureColumn[];
  /** The label column (DEATH_EVENT / failure) when the file has it. */
  label: ColumnRef | null;
  /** Columns kept only for display and download (ids, dates, unused fields), file order. */
  passThrough: ColumnRef[];
  /** Known duplicates that are not model inputs (metric8 / attribute8). */
  ignored: ColumnRef[];
  /** Inputs the model takes but does not read that the file lacks (filled, see FeatureColumn.fill), in feature order. */
  absent: string[];
}

export type ResolveResult =
  | { ok: true; columns: ColumnMap }
  | {
      ok: false;
      /** Canonical names of required fields with no column, e.g. ["metric3"]. */
      missing: string[];
      /** Fields (or the label) claimed by more than one column. */
      duplicates: { field: string; columns: string[] }[];
      message: string;
    };

export const BOM = '\ufeff';
/** Column names compare trimmed and case-insensitive. */
export const normColumnName = (s: string) => s.trim().toLowerCase();
const norm = normColumnName;

function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Match header cells to the domain's fields by name: trimmed, case-insensitive, any order,
 * aliases allowed (attributeN for metricN). `featureOrder` is the model's input list (from
 * the manifest); fields of the domain that the model does not read are passed through.
 */
export function resolveColumns(
  header: readonly string[],
  domain: DomainSpec,
  featureOrder: readonly string[] = domain.fields.map((f) => f.name),
  /** Inputs that may be absent (the model does not read them) -> the value that fills them. */
  optional: ReadonlyMap<string, number> = new Map(),
): ResolveResult {
  const cells = header.map((h, i) => (i === 0 && h.startsWith(BOM) ? h.slice(1) : h));
  const byName = new Map<string, FieldSpec>();
  const unitByName = new Map<string, UnitSpec>();
  for (const f of domain.fields) {
    byName.set(norm(f.name), f);
    for (const a of f.aliases ?? []) byName.set(norm(a), f);
    // A header may name its unit: serum_creatinine_umol_l is serum creatinine in µmol/L.
    for (const u of f.units ?? []) {
      if (!u.columnSuffix) continue;
      for (const n of [f.name, ...(f.aliases ?? [])]) {
        byName.set(norm(`${n}_${u.columnSuffix}`), f);
        unitByName.set(norm(`${n}_${u.columnSuffix}`), u);
      }
    }
  }
  const unknownInputs = featureOrder.filter((n) => !domain.fields.some((f) => f.name === n));
  if (unknownInputs.length > 0) {
    // A manifest/domain mismatch, not a problem with the user's file; still a value, not a throw.
    return {
      ok: false,
      missing: unknownInputs,
      duplicates: [],
      message: `The model reads ${unknownInputs.join(', ')}, which ${unknownInputs.length > 1 ? 'are not fields' : 'is not a field'} of ${domain.title}`,
    };
  }
  const wanted = new Set(featureOrder);
  const ignored = new Set(domain.ignoredColumns.map(norm));
  const labelName = norm(domain.labelColumn);

  const claims = new Map<string, ColumnRef[]>();
  const claim = (key: string, ref: ColumnRef) => claims.set(key, [...(claims.get(key) ?? []), ref]);
  const passThrough: ColumnRef[] = [];
  const ignoredRefs: ColumnRef[] = [];
  cells.forEach((name, index) => {
    const n = norm(name);
    const ref = { index, name };
    const field = byName.get(n);
    if (field && wanted.has(field.name)) claim(field.name, ref);
    else if (n === labelName) claim(domain.labelColumn, ref);
    else if (ignored.has(n)) ignoredRefs.push(ref);
    else passThrough.push(ref);
  });

  const absent = featureOrder.filter((n) => !claims.has(n) && optional.has(n));
  const missing = featureOrder.filter((n) => !claims.has(n) && !optional.has(n));
  const duplicates = [...claims].filter(([, refs]) => refs.length > 1).map(([field, refs]) => ({ field, columns: refs.map((r) => r.name) }));
  if (missing.length > 0 || duplicates.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) {
      const described = missing.map((n) => {
        const f = domain.fields.find((x) => x.name === n)!;
        return f.aliases?.length ? `${n} (or ${orList(f.aliases)})` : n;
      });
      parts.push(`The file is missing ${missing.length > 1 ? 'required columns' : 'a required column'}: ${described.join(', ')}.`);
    }
    for (const d of duplicates) parts.push(`Columns ${d.columns.map((c) => `"${c}"`).join(' and ')} both give ${d.field}; keep only one.`);
    return { ok: false, missing, duplicates, message: parts.join(' ') };
  }
  const features = featureOrder.map((name): FeatureColumn => {
    const field = domain.fields.find((f) => f.name === name)!;
    const refs = claims.get(name);
    if (!refs) return { index: -1, name, field, fill: optional.get(name)! };
    const ref = refs[0]!;
    const headerUnit = unitByName.get(norm(ref.name));
    return { ...ref, field, ...(headerUnit ? { headerUnit } : {}) };
  });
  const label = claims.get(domain.labelColumn)?.[0] ?? null;
  return { ok: true, columns: { header: cells, features, label, passThrough, ignored: ignoredRefs, absent } };
}
