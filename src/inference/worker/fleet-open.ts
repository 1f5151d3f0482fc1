import type { DomainSpec } from '@/domain/domains';
import type { KeptLog } from '@/domain/fleet-workspace';
import type { WorkspaceMeta } from '@/domain/fleet-workspace-record';
import { historyInputs } from '@/domain/history';
import type { ModelEntry } from '@/domain/manifest';
import type { KeepInfo } from '@/inference/protocol';
import { logBytes, withWorkspaceLock, type KeptWorkspace } from '@/storage/fleet-workspace-store';
import type { Engine } from './engine';
import { dropRanking, modelNote, readKept, remember, writeKept } from './fleet-keep';
import { finishFleet, FleetReporter, type FleetData, type FleetOptions } from './fleet-run';
import { scorePositions } from './fleet-score';

// Opening the fleet workspace kept in this browser, with no file: what the page lists on a new visit.

/** Why no kept workspace opens: there is none, or it cannot be read (it is left as it is). */
function notOpened(kept: Exclude<KeptWorkspace, { state: 'ok' }>): string {
  return kept.state === 'none'
    ? 'No fleet workspace is kept in this browser.'
    : `The fleet workspace kept in this browser cannot be read: ${kept.problem}. It is kept as it is: export it or delete it.`;
}

/** What the page is told of a kept workspace opened as it is (nothing scored, nothing written). */
function keptAsIs(meta: WorkspaceMeta, log: KeptLog): KeepInfo {
  return {
    saved: true,
    problem: null,
    readings: meta.readings,
    devices: meta.devices,
    bytes: logBytes(log),
    files: meta.files,
    note: null,
    updatedAt: meta.updatedAt,
  };
}

/**
 * The workspace kept in this browser, ranked again from its stored probabilities: no file is
 * read and nothing is scored, unless another model version scored it (then every reading is
 * rescored, and the summary says so). `engine` is asked for only then: a kept log opens before
 * the worker's sessions exist.
 */
export async function openKeptFleet(
  engine: () => Promise<Engine>,
  model: ModelEntry,
  domain: DomainSpec,
  opts: FleetOptions,
): Promise<FleetData | null> {
  const { id, post } = opts;
  const spec = domain.history;
  if (!spec) throw new Error(`${domain.title} declares no history: it has no daily log to read`);
  const inputs = historyInputs(spec);
  const t0 = performance.now();
  const rep = new FleetReporter(id, post, 0);
  return withWorkspaceLock(domain.id, async () => {
    // Read ahead when the page opened on it (readKeptEarly), if no tab wrote since.
    const kept = await readKept(domain.id);
    const keptMs = performance.now() - t0;
    if (kept.state !== 'ok') {
      post({ type: 'fleet-refused', id, message: notOpened(kept), missing: [] });
      return null;
    }
    const { meta, log } = kept;
    remember(domain.id, meta, log, true);
    let note = meta.note;
    let times = { featureMs: 0, scoreMs: 0, helperRows: 0 };
    let scoringMs = 0;
    let storeMs = 0;
    let workspace: KeepInfo;
    if (meta.model.id !== model.id || meta.model.sha256 !== model.sha256) {
      note = modelNote(meta, model);
      dropRanking(log); // its P(failure) is rescored in place
      rep.progress.stage = 'scoring';
      rep.send(true);
      const tf = performance.now();
      times = await scorePositions(
        await engine(),
        model,
        spec,
        inputs,
        log,
        Int32Array.from(log.day, (_, i) => i),
        { signal: opts.signal, helpers: opts.helpers },
      );
      if (opts.signal.aborted) {
        post({ type: 'fleet-done', id, status: 'cancelled', message: null, summary: null });
        return null;
      }
      scoringMs = performance.now() - tf;
      const ts = performance.now();
      workspace = await writeKept(
        domain.id,
        { ...meta, model: { id: model.id, version: model.version, sha256: model.sha256 }, note, updatedAt: new Date().toISOString() },
        log,
      );
      storeMs = performance.now() - ts;
    } else {
      workspace = keptAsIs(meta, log);
    }
    return finishFleet(
      model,
      spec,
      inputs,
      log,
      {
        rowsRead: 0,
        rowsRejected: 0,
        rowsKept: 0,
        duplicates: [],
        columns: { entity: meta.columns.entity, date: meta.columns.date, label: meta.labelColumn },
        merge: { added: 0, replaced: 0, replacedList: [], scored: scoringMs > 0 ? log.day.length : 0 },
        workspace,
        timings: { parseMs: 0, scoringMs, ...times, keptMs, storeMs },
      },
      { id, post, t0, rep },
    );
  });
}
