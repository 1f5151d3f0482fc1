import { rankingCsv, scoredRowsCsv } from '@/domain/fleet-csv';
import { deviceTimeline, fleetEvaluation, searchDevices } from '@/domain/fleet-report';
import type { FleetData } from './fleet-run';
import { DAY_ROWS_SENT, type FleetAnswer, type FleetQuery } from '@/inference/protocol';

/** Answer the page's question about a scored log kept in this worker. */
export function answerFleet(d: FleetData, q: FleetQuery): FleetAnswer {
  const f = d.fleet;
  switch (q.kind) {
    case 'day':
      // The page lists the first DAY_ROWS_SENT: a fleet of thousands would cost the main thread a
      // long task to receive; the ranking download and the device search reach every device.
      return f.dayList(q.day, q.k, DAY_ROWS_SENT);
    case 'device':
      return deviceTimeline(f, q.entity, q.k);
    case 'evaluation':
      return fleetEvaluation(f, q.k);
    case 'search':
      return searchDevices(f, q.text);
    case 'download-ranking': {
      const list = f.dayList(q.day, q.k);
      return list ? new Blob([rankingCsv(list, d.columns.entity, d.columns.date)], { type: 'text/csv' }) : null;
    }
    case 'download-rows': {
      const m = d.model;
      const parts = scoredRowsCsv(f, d.columns, { classLabels: m.class_labels, id: m.id, version: m.version });
      // Blob parts: the browser keeps them outside the JS heap, and the strings can go.
      return new Blob(parts.map((p) => new Blob([p])), { type: 'text/csv' });
    }
  }
}
