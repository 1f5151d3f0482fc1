import { useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import { errorMessage } from '@/domain/errors';
import { parseWorkspaceExport, readInspections, toInspection } from '@/domain/fleet-workspace-record';
import { countOf, noun } from '@/domain/words';
import type { FleetSession } from '@/inference/client';
import { deleteWorkspace, readRaw } from '@/storage/fleet-workspace-store';
import { addInspections } from '@/storage/inspection-store';
import type { FleetStart } from './use-fleet-run';
import type { InspectionsState } from './use-inspections';
import type { useWorkspace } from './use-workspace';

/** An export of an unreadable workspace: its records as they are (typed arrays as plain lists). */
function rawJson(raw: unknown): string {
  return JSON.stringify(raw, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
}

/**
 * What the workspace's buttons do: export it (from the worker that holds it; an unreadable one
 * as kept), import an export (its log loaded as a new workspace, its inspections kept), delete it.
 * Each says what happened in one sentence (`said`) or what went wrong (`problem`).
 */
export function useWorkspaceActions(
  domain: string,
  session: FleetSession | null,
  ws: ReturnType<typeof useWorkspace>,
  insp: InspectionsState,
  begin: (file: File, how: FleetStart) => void,
) {
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function exportWorkspace() {
    try {
      if (session && ws.kept.state === 'ok') {
        saveBlob(
          await session.ask({ kind: 'download-workspace', inspections: insp.records, unreadable: insp.unreadable }),
          `${domain}-fleet-workspace.json`,
        );
      } else {
        const raw = await readRaw(domain);
        const doc = { format: 'prognos-fleet-workspace-unreadable', domain, ...raw, inspections: insp.records, unreadable: insp.unreadable };
        saveBlob(new Blob([rawJson(doc)], { type: 'application/json' }), `${domain}-fleet-workspace-as-kept.json`);
      }
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function importWorkspace(file: File) {
    setSaid(null);
    setProblem(null);
    const r = parseWorkspaceExport(await file.text());
    if (!r.ok) {
      setProblem(r.message);
      return;
    }
    const records = readInspections(r.value.inspections.map((x, i) => [String(i), x]));
    ws.setKeepOn(true);
    begin(new File([r.value.logCsv], `${file.name} (imported)`, { type: 'text/csv' }), 'new');
    try {
      await addInspections(domain, records.records.map(toInspection));
    } catch (e) {
      setProblem(`The inspections of ${file.name} could not be kept: ${errorMessage(e)}`);
      return;
    }
    const left = records.unreadable.length
      ? `; ${countOf(records.unreadable.length, 'inspection record')} in it could not be read and ${noun(records.unreadable.length, 'was', 'were')} left out`
      : '';
    setSaid(
      `Imported ${file.name}: its log is loaded as a new workspace and ${countOf(records.records.length, 'inspection')} ${noun(records.records.length, 'is', 'are')} kept${left}.`,
    );
  }

  async function removeWorkspace() {
    try {
      await deleteWorkspace(domain);
    } catch (e) {
      setProblem(errorMessage(e));
      return;
    }
    ws.refresh();
    setSaid(
      'The fleet workspace was deleted from this browser. The list shown stays until you leave the page; the inspections are kept until you delete them.',
    );
  }

  return { said, problem, clear: () => (setSaid(null), setProblem(null)), exportWorkspace, importWorkspace, removeWorkspace };
}
