import type { ColumnMap } from '@/domain/csv/columns';
import { type FieldSpec } from '@/domain/field-spec';
import { fieldSchema, toNumberOrUndefined } from '@/domain/fields';
import type { NumberFormat } from '@/domain/number-format';
import { type Values } from '@/domain/to-vector';
import { fieldInUnit, findUnit, toModelUnit, type UnitSpec } from '@/domain/units';
import { countOf } from '../words';

/** CSV row checks: each data row against the form's zod schema, with a fast path for plain numbers. */

export interface CellError {
  /** Physical line in the file, 1-based; the header is line 1 (or later, after blank lines). */
  line: number;
  /** Column name as written in the file; '' when the whole row is at fault. */
  column: string;
  value: string;
  message: string;
}

export type RowCheck =
  { ok: true; line: number; values: Values; label: 0 | 1 | null; passThrough: string[] } | { ok: false; line: number; errors: CellError[] };

/** A row whose cells are all blank: skipped, like PapaParse's skipEmptyLines: 'greedy'. */
export function isBlankRow(cells: readonly string[]): boolean {
  // Shortcut for the usual row: a first cell starting with a visible ASCII character.
  const k = cells[0]?.charCodeAt(0) ?? 0;
  if (k > 32 && k < 127) return false;
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * Precompiled checks for one ColumnMap. The hot path repeats the zod schema's rules on
 * plain numbers; any cell it does not accept goes through the field's zod schema, which
 * stays the authority for both the verdict and the message (see the equivalence test).
 */
export interface CellReading {
  /** How numbers are written in the file; default: decimal point. */
  format?: NumberFormat;
  /** Field name -> unit id of its column when the header does not name one; default: the model's unit. */
  units?: Readonly<Record<string, string>>;
}

export class RowChecker {
  readonly width: number;
  readonly nFeatures: number;
  /** Feature values of the last row that passed, in feature order (the model's units). */
  readonly values: Float64Array;
  /** Label of the last row that passed: 0, 1, or -1 when the file has no label column. */
  label = -1;
  readonly format: NumberFormat;
  /** The unit each feature column is read in: its header's, else the chosen one, else the model's. */
  readonly units: readonly UnitSpec[];
  /** Each feature column's field as written in the file: limits and messages in its unit. */
  private readonly shown: readonly FieldSpec[];
  private readonly schemas: (ReturnType<typeof fieldSchema> | undefined)[] = [];

  constructor(
    readonly columns: ColumnMap,
    reading: CellReading = {},
  ) {
    this.width = columns.header.length;
    this.nFeatures = columns.features.length;
    this.values = new Float64Array(this.nFeatures);
    this.format = reading.format ?? 'point';
    this.units = columns.features.map((fc) => fc.headerUnit ?? findUnit(fc.field, reading.units?.[fc.field.name]));
    this.shown = columns.features.map((fc, i) => fieldInUnit(fc.field, this.units[i]!));
  }

  /** Null when the row is good (read `values` and `label`), else its errors. */
  check(cells: readonly string[], line: number): CellError[] | null {
    if (cells.length !== this.width) {
      return [
        {
          line,
          column: '',
          value: '',
          message: `Line ${line} has ${countOf(cells.length, 'cell')}; the header has ${countOf(this.width, 'column')}`,
        },
      ];
    }
    let errors: CellError[] | null = null;
    const feats = this.columns.features;
    for (let i = 0; i < feats.length; i++) {
      const fc = feats[i]!;
      if (fc.index < 0) {
        this.values[i] = fc.fill!;
        continue;
      }
      const raw = cells[fc.index]!;
      // Plain decimal notation reads alike in both formats only without a separator.
      const v = this.format === 'point' ? cellValue(raw) : digitsValue(raw);
      const unit = this.units[i]!;
      if (typeof v === 'number' && passes(this.shown[i]!, v)) {
        this.values[i] = unit.factor === 1 ? v : toModelUnit(v, unit);
        continue;
      }
      const r = this.schemaOf(i).safeParse(raw);
      if (r.success) {
        this.values[i] = toModelUnit(r.data, unit);
        continue;
      }
      (errors ??= []).push({ line, column: fc.name, value: raw, message: r.error.issues.map((x) => x.message).join('; ') });
    }
    const lab = this.columns.label;
    if (lab) {
      const raw = cells[lab.index]!;
      const v = cellValue(raw);
      if (v === 0 || v === 1) this.label = v;
      else {
        const got = raw.trim() === '' ? 'an empty cell' : `"${raw}"`;
        (errors ??= []).push({ line, column: lab.name, value: raw, message: `Label column ${lab.name}: expected 0 or 1, got ${got}` });
      }
    } else this.label = -1;
    return errors;
  }

  private schemaOf(i: number) {
    // Built once per column: fields.validate() builds a whole object schema per call (~1 ms).
    return (this.schemas[i] ??= fieldSchema(this.shown[i]!, { format: this.format }));
  }
}

/** toNumberOrUndefined, with a shortcut for the common plain-digits cell (about 2x faster). */
function cellValue(raw: string): unknown {
  const n = raw.length;
  if (n > 0 && n <= 15) {
    let i = 0;
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === n) return +raw;
  }
  return toNumberOrUndefined(raw);
}

/** A cell of digits only (the same number in either format), else undefined. */
function digitsValue(raw: string): number | undefined {
  const n = raw.length;
  if (n === 0 || n > 15) return undefined;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return +raw;
}

/** The zod schema's rules for an already-parsed finite number (fieldSchema in fields.ts). */
function passes(f: FieldSpec, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (f.kind === 'yes-no' || f.kind === 'sex') return v === 0 || v === 1;
  if (v < f.min || v > f.max) return false;
  return f.kind !== 'integer' || Number.isSafeInteger(v);
}

/** Check one data row (convenience form of RowChecker for single rows and tests). */
export function checkRow(cells: readonly string[], line: number, columns: ColumnMap, checker = new RowChecker(columns)): RowCheck {
  const errors = checker.check(cells, line);
  if (errors) return { ok: false, line, errors };
  const values: Values = {};
  columns.features.forEach((f, i) => (values[f.field.name] = checker.values[i]!));
  return {
    ok: true,
    line,
    values,
    label: checker.label === -1 ? null : (checker.label as 0 | 1),
    passThrough: columns.passThrough.map((c) => cells[c.index]!),
  };
}
