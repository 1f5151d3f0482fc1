// Test-only: a golden log case written by training (training/golden/<model>-features.json and
// <model>-random-log.json) read through the app's own import path: stream, log checks, assembly,
// history features.
import { expect } from 'vitest';
import { resolveColumns } from '@/domain/csv/columns';
import { streamCsv } from '@/domain/csv/stream';
import type { DomainSpec } from '@/domain/domains';
import { fleetFeatures } from '@/domain/fleet';
import { findLogColumns, FleetLog, logRowCheck } from '@/domain/fleet-log';
import { historyInputs } from '@/domain/history';

export interface GoldenLogCase {
  name: string;
  columns: string[];
  rows: string[][];
  lines: number[];
  set_aside: { line: number; kept_line: number; device: string; date: string }[];
  expected: { line: number; device: string; date: string; features: number[] }[];
}

const csvLine = (cells: readonly string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** The case's features of every kept reading by file line, and the readings set aside. */
export async function caseFeatures(domain: DomainSpec, c: GoldenLogCase) {
  const spec = domain.history!;
  const inputs = historyInputs(spec);
  const text = [c.columns, ...c.rows].map(csvLine).join('\n') + '\n';
  const header = resolveColumns(c.columns, domain, inputs);
  if (!header.ok) throw new Error(header.message);
  const cols = findLogColumns(header.columns, spec);
  if ('missing' in cols) throw new Error(cols.message);
  const log = new FleetLog(inputs.length, cols);
  const result = await streamCsv(text, domain, { featureOrder: inputs, float64: true, extraCheck: logRowCheck(cols), onBatch: (b) => log.add(b) });
  expect(result.status).toBe('done');
  expect(log.rows).toBe(c.rows.length);
  const fleet = log.assemble();
  const feats = fleetFeatures(spec, inputs, fleet, log.day.view(), log.values.view());
  // Stream line k + 2 is the case's k-th row, on file line c.lines[k].
  const lineOf = (streamLine: number) => c.lines[streamLine - 2]!;
  const byLine = new Map<number, Float64Array>();
  const lines = log.line.view();
  fleet.order.forEach((i, pos) => byLine.set(lineOf(lines[i]!), feats.subarray(pos * spec.features.length, (pos + 1) * spec.features.length)));
  return { byLine, duplicates: fleet.duplicates.map((d) => ({ line: lineOf(d.line), kept_line: lineOf(d.keptLine), device: d.entity })) };
}
