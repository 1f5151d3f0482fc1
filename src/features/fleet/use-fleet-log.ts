import { useEffect, useRef, useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import { errorMessage } from '@/domain/errors';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { InspectionSpec } from '@/domain/inspections';
import type { DomainId } from '@/domain/manifest';
import { useDomainModelsEarly, usePreparedJob } from '@/inference/use-inference';
import { DEFAULT_K } from './ranking-panel';
import { useFleetAnswer } from './use-fleet-answer';
import { KEPT_WORKSPACE, useFleetRun, type FleetStart } from './use-fleet-run';
import { useInspections } from './use-inspections';
import { useWorkspace } from './use-workspace';

/**
 * The log being ranked: the models and the one chosen, the run, the workspace kept in this
 * browser and the inspections, and `begin`, which starts a run on a file.
 */
export function useFleetLog(domain: DomainId, inspections: InspectionSpec | null) {
  // The model list before the sessions: a kept workspace opens on it alone (nothing to score).
  const { models, ready } = useDomainModelsEarly(domain, 'history');
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const { run, start, cancel } = useFleetRun();
  usePreparedJob('fleet', model?.id ?? null);
  const [problem, setProblem] = useState<string | null>(null);

  const session = run.phase === 'ready' ? run.session : null;
  const summary = run.phase === 'ready' ? run.summary : null;
  const running = run.phase === 'running';
  const ws = useWorkspace(domain, inspections?.holdDays ?? 0, running ? '*' : (summary?.workspace?.updatedAt ?? null));
  const insp = useInspections(domain);

  function begin(file: File, how: FleetStart) {
    if (!model) return;
    setProblem(null);
    ws.clearChangedElsewhere();
    start(file, model.id, how);
  }
  return { models, ready, model, setModelId, run, cancel, problem, setProblem, session, summary, running, ws, insp, begin };
}

export type FleetLog = ReturnType<typeof useFleetLog>;

/**
 * The capacity and date a person ranks with, and the log's answers for them: the day's list,
 * the open device's timeline, the evaluation and the hold-back policy's; and the downloads.
 */
export function useFleetRanking(domain: DomainId, log: FleetLog, inspections: InspectionSpec | null, device: string | null) {
  const { run, session, summary, ws, insp, setProblem } = log;
  const [kText, setKText] = useState(String(DEFAULT_K));
  const [dayText, setDayText] = useState('');
  const kNum = Number(kText);
  const k = Number.isInteger(kNum) && kNum >= 1 ? kNum : DEFAULT_K;
  // The day's list is asked as the run starts: the worker answers once the log is ranked, with no
  // render of the summary between the two (the other questions wait for the summary).
  const listSession = run.phase === 'running' || run.phase === 'ready' ? run.session : null;
  const day = dayText === '' ? null : parseIsoDay(dayText);
  const hold = inspections && insp.inspections.length > 0 ? { inspections: insp.inspections, holdDays: ws.holdDays } : null;

  const list = useFleetAnswer(listSession, listSession ? { kind: 'day', day, k, hold } : null, setProblem) ?? null;
  // null: the log has no such device.
  const timeline = useFleetAnswer(session, device !== null ? { kind: 'device', entity: device, k } : null, setProblem);
  const evaluation = useFleetAnswer(session, summary?.hasLabel ? { kind: 'evaluation', k } : null, setProblem) ?? null;
  const policy = useFleetAnswer(session, summary?.hasLabel && inspections ? { kind: 'policy', k, holdDays: ws.holdDays } : null, setProblem) ?? null;

  async function download(kind: 'ranking' | 'rows') {
    if (!session || !log.model) return;
    try {
      const blob = kind === 'ranking' ? await session.ask({ kind: 'download-ranking', day, k, hold }) : await session.ask({ kind: 'download-rows' });
      if (blob)
        saveBlob(blob, kind === 'ranking' ? `${domain}-ranking-${list ? formatIsoDay(list.day) : 'latest'}.csv` : `${domain}-fleet-scored.csv`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }
  return { kText, setKText, dayText, setDayText, list, timeline, evaluation, policy, download };
}

/** A kept workspace opens by itself, once per visit: the latest list without reading a file. */
export function useOpenKeptWorkspace({ ws, model, run, begin }: FleetLog) {
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !ws.keepOn || ws.kept.state !== 'ok' || !model || run.phase !== 'idle') return;
    opened.current = true;
    begin(new File([], KEPT_WORKSPACE), 'open');
    // begin is this render's closure over the same model; the effect runs once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ws.keepOn, ws.kept.state, model, run.phase]);
}
