import Papa from 'papaparse';
import { fmtInt, riskPct } from '@/components/ui/format';
import { neutraliseFormula } from '@/domain/csv/write';
import type { RankedDevice } from '@/domain/fleet-rank';
import { formatIsoDay } from '@/domain/history';
import { countOf } from '@/domain/words';
import { moverText } from './movers';

/**
 * Work orders for the devices a person chose on the list, as a CSV a maintenance system imports
 * (the README maps the columns onto Maximo, SAP PM, Fiix and UpKeep). Nothing is created
 * without that choice; the file is only downloaded.
 *
 * Priority: 1 for a device above the model's threshold and in the day's top K, 2 for one of the
 * two, 3 otherwise; due in 1, 3 or 7 days from the list's date.
 */
export const WORK_ORDER_COLUMNS = ['asset_id', 'priority', 'due_date', 'title', 'description'] as const;
const DUE_DAYS = { 1: 1, 2: 3, 3: 7 } as const;

export interface WorkOrderContext {
  day: number;
  total: number;
  modelId: string;
  modelVersion: string;
}

export function workOrderPriority(d: Pick<RankedDevice, 'aboveThreshold' | 'inTopK'>): 1 | 2 | 3 {
  return d.aboveThreshold && d.inTopK ? 1 : d.aboveThreshold || d.inTopK ? 2 : 3;
}

export function workOrderRow(d: RankedDevice, ctx: WorkOrderContext): string[] {
  const priority = workOrderPriority(d);
  const moved = d.movers.length ? `; counters that moved most: ${d.movers.map(moverText).join(', ')}` : '';
  const streak = d.streak > 1 ? `; flagged ${d.streak} days running` : '';
  return [
    d.entity,
    String(priority),
    formatIsoDay(ctx.day + DUE_DAYS[priority]),
    `Inspect ${d.entity}: predicted failure risk ${riskPct(d.p1)}`,
    `Risk ${riskPct(d.p1)}, rank ${fmtInt(d.rank)} of ${countOf(ctx.total, 'device')} on ${formatIsoDay(ctx.day)}${moved}${streak}. From Prognos ${ctx.modelId} ${ctx.modelVersion}; chosen by a person on the list.`,
  ];
}

export function workOrdersCsv(devices: readonly RankedDevice[], ctx: WorkOrderContext): string {
  const rows = [[...WORK_ORDER_COLUMNS], ...devices.map((d) => workOrderRow(d, ctx))];
  return (
    Papa.unparse(
      rows.map((r) => r.map(neutraliseFormula)),
      { newline: '\r\n' },
    ) + '\r\n'
  );
}
