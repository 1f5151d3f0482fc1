import { getDomain } from '@/domain/domains';
import { rankingCsv, scoredRowsCsv } from '@/domain/fleet-csv';
import { simulatePolicy } from '@/domain/fleet-policy';
import type { HoldLookup } from '@/domain/fleet-rank';
import { deviceTimeline, fleetEvaluation, searchDevices } from '@/domain/fleet-report';
import { EXPORT_FORMAT, EXPORT_SCHEMA, logToCsv } from '@/domain/fleet-workspace-record';
import { holdState, latestInspections } from '@/domain/inspections';
import { DAY_ROWS_SENT, type FleetAnswer, type FleetQuery, type HoldQuery } from '@/inference/protocol';
import type { FleetData } from './fleet-run';

/** The hold-back rule on a day, from the inspections the page keeps (null: none declared or asked). */
function holdLookup(d: FleetData, day: number | null, hold: HoldQuery | null | undefined): HoldLookup | undefined {
  const spec = getDomain(d.model.domain).inspections;
  const f = d.fleet;
  const dayIndex = f.dayIndex(day);
  if (!spec || !hold || hold.inspections.length === 0 || dayIndex === null) return undefined;
  const on = f.days[dayIndex]!;
  const latest = latestInspections(hold.inspections, on);
  const rule = { holdDays: hold.holdDays, riseFactor: spec.riseFactor };
  return (entity, p1) => {
    const i = latest.get(f.c.fleet.entities[entity]!);
    return i ? holdState(spec, rule, i, on, f.pOnOrBefore(entity, i.day), p1) : null;
  };
}

/** The workspace export: one JSON file, the kept log inside as CSV text (written in parts, never one huge string). */
function workspaceBlob(d: FleetData, inspections: unknown[], unreadable: unknown[]): Blob {
  const meta = {
    model: { id: d.model.id, version: d.model.version, sha256: d.model.sha256 },
    inputs: d.inputs,
    labelColumn: d.columns.label,
    columns: { entity: d.columns.entity, date: d.columns.date },
  };
  const head = {
    format: EXPORT_FORMAT,
    schema: EXPORT_SCHEMA,
    exportedAt: new Date().toISOString(),
    domain: d.model.domain,
    meta,
    inspections,
    unreadable,
  };
  const json = JSON.stringify(head);
  const csv = JSON.stringify(logToCsv(d.log, { inputs: [...d.inputs], labelColumn: d.columns.label, columns: meta.columns }));
  return new Blob([json.slice(0, -1), ',"logCsv":', csv, '}'], { type: 'application/json' });
}

/** Answer the page's question about a scored log kept in this worker. */
export function answerFleet(d: FleetData, q: FleetQuery): FleetAnswer {
  const f = d.fleet;
  switch (q.kind) {
    case 'day':
      // The page lists the first DAY_ROWS_SENT: a fleet of thousands would cost the main thread a
      // long task to receive; the ranking download and the device search reach every device.
      return f.dayList(q.day, q.k, DAY_ROWS_SENT, holdLookup(d, q.day, q.hold));
    case 'device':
      return deviceTimeline(f, q.entity, q.k);
    case 'evaluation':
      return fleetEvaluation(f, q.k);
    case 'search':
      return searchDevices(f, q.text);
    case 'download-ranking': {
      const list = f.dayList(q.day, q.k, Infinity, holdLookup(d, q.day, q.hold));
      return list ? new Blob([rankingCsv(list, d.columns.entity, d.columns.date)], { type: 'text/csv' }) : null;
    }
    case 'policy': {
      const spec = getDomain(d.model.domain).inspections;
      const c = f.c;
      if (!spec || c.label.length === 0 || c.label[0]! < 0) return null;
      const log = { day: c.day, entity: c.entity, label: c.label, p: c.p1 };
      // The day ranking is the simulation's order (day, then P descending, then position): no sort.
      return [0, q.holdDays].map((holdDays) => simulatePolicy(log, spec, q.k, { holdDays, riseFactor: spec.riseFactor }, f.byDay));
    }
    case 'download-workspace':
      return workspaceBlob(d, q.inspections, q.unreadable);
    case 'download-rows': {
      const m = d.model;
      const parts = scoredRowsCsv(f, d.columns, { classLabels: m.class_labels, id: m.id, version: m.version });
      // Blob parts: the browser keeps them outside the JS heap, and the strings can go.
      return new Blob(
        parts.map((p) => new Blob([p])),
        { type: 'text/csv' },
      );
    }
  }
}
