import { getDomain } from '@/domain/domains';
import type { DeviceTimeline } from '@/domain/fleet-report';
import type { InspectionRecord } from '@/domain/fleet-workspace-record';
import type { InspectionSpec } from '@/domain/inspections';
import type { DomainId } from '@/domain/manifest';
import { SAMPLE_FILE_PREFIX } from '@/domain/sample-data';
import type { FleetSummary } from '@/inference/client';
import { DevicePanel } from './device-panel';
import { FleetEvaluationPanel } from './fleet-evaluation';
import { FleetLogSection } from './fleet-log-section';
import { FleetRunStatus } from './fleet-run-status';
import { FleetSummaryPanel } from './fleet-summary';
import { InspectionForm } from './inspection-form';
import { InspectionsPanel } from './inspections-panel';
import { PolicyEvaluation } from './policy-evaluation';
import { RankingPanel } from './ranking-panel';
import { useFleetLog, useFleetRanking, useOpenKeptWorkspace } from './use-fleet-log';
import { KEPT_WORKSPACE, type FleetRun } from './use-fleet-run';
import { useWorkspaceActions } from './use-workspace-actions';

export interface FleetViewProps {
  domain: DomainId;
  /** The device whose page is open (from the route), or null for the day's list. */
  device: string | null;
  /** Links, given by the app (a feature does not know the routes). */
  deviceHref: (id: string) => string;
  listHref: string;
}

/**
 * A daily log of a whole fleet, ranked day by day with a model that reads each device's
 * history. The log is read, scored and ranked in the worker; this view asks it for the
 * day's list, a device's timeline, the evaluation and the downloads.
 */
export function FleetView({ domain, device, deviceHref, listHref }: FleetViewProps) {
  const spec = getDomain(domain);
  const subject = spec.subject;
  const inspections = spec.inspections;
  const log = useFleetLog(domain, inspections);
  const ranking = useFleetRanking(domain, log, inspections, device);
  const actions = useWorkspaceActions(domain, log.session, log.ws, log.insp, log.begin);
  useOpenKeptWorkspace(log);
  const { model, summary, ws, insp } = log;
  const { list, evaluation, policy } = ranking;

  return (
    <div className="fleet">
      <FleetLogSection domain={domain} spec={spec} log={log} actions={actions} />

      <FleetRunSection run={log.run} summary={summary} subject={subject} problem={log.problem} onCancel={log.cancel} />

      {summary && device !== null && (
        <DeviceSection
          {...{ domain, device, subject, listHref, inspections }}
          timeline={ranking.timeline}
          records={insp.records}
          lastDay={summary.lastDay}
        />
      )}

      {summary && model && (
        <RankingPanel
          domain={domain}
          subject={subject}
          summary={summary}
          list={list}
          hidden={device !== null}
          kText={ranking.kText}
          setKText={ranking.setKText}
          dayText={ranking.dayText}
          setDayText={ranking.setDayText}
          inspections={inspections}
          model={model}
          deviceHref={deviceHref}
          onFind={(text) => log.session!.ask({ kind: 'search', text })}
          onDownload={(kind) => void ranking.download(kind)}
        />
      )}

      {inspections && device === null && (
        <InspectionsPanel
          domain={domain}
          spec={inspections}
          state={insp}
          subject={subject}
          entityColumn={spec.history!.entityColumn}
          holdDays={ws.holdDays}
          setHoldDays={ws.setHoldDays}
        />
      )}

      {summary && device === null && evaluation && model && <FleetEvaluationPanel ev={evaluation} model={model} />}
      {summary && device === null && policy && inspections && <PolicyEvaluation rows={policy} spec={inspections} subject={subject} />}
    </div>
  );
}

/** A device's page: record an inspection of it, and the ones kept. */
function DeviceInspections(props: {
  domain: string;
  device: string;
  spec: InspectionSpec;
  records: readonly InspectionRecord[];
  defaultDay: number | null;
  subject: string;
}) {
  const { spec, device } = props;
  const mine = props.records.filter((r) => r.entity === device);
  return (
    <section className="panel" aria-label={`Inspections of ${device}`}>
      <InspectionForm domain={props.domain} spec={spec} devices={[device]} defaultDay={props.defaultDay} subject={props.subject} />
      {mine.length === 0 ? (
        <p className="muted">No inspection of it is recorded in this browser.</p>
      ) : (
        <ul aria-label="Recorded inspections of this device">
          {mine.map((r) => (
            <li key={r.id}>
              {r.date}: {spec.outcomes.find((o) => o.id === r.outcome)?.label ?? r.outcome}
              {r.note ? ` (${r.note})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The run's heading, progress or why it stopped, and its summary. */
function FleetRunSection({
  run,
  summary,
  subject,
  problem,
  onCancel,
}: {
  run: FleetRun;
  summary: FleetSummary | null;
  subject: string;
  problem: string | null;
  onCancel: () => void;
}) {
  if (run.phase === 'idle') return null;
  return (
    <section className="panel" aria-labelledby="fleet-file-title">
      <h2 id="fleet-file-title">{run.fileName}</h2>
      {run.phase === 'refused' && run.fileName === KEPT_WORKSPACE ? (
        <p className="field-error" role="alert">
          {run.message}
        </p>
      ) : (
        <FleetRunStatus run={run} onCancel={onCancel} />
      )}
      {summary && run.fileName.startsWith(SAMPLE_FILE_PREFIX) && (
        <p role="note" data-testid="sample-note">
          This is <strong>generated sample data</strong>: a made-up fleet (seeded, the same every time) in which a few {subject}s degrade and fail. It
          is not kept in this browser, and no real {subject} is in it.
        </p>
      )}
      {summary && <FleetSummaryPanel summary={summary} errors={run.errors} subject={subject} />}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** A device's page: its timeline, and its inspections; or a word when the log has no such device. */
function DeviceSection(props: {
  domain: string;
  device: string;
  timeline: DeviceTimeline | null | undefined;
  subject: string;
  listHref: string;
  inspections: InspectionSpec | null;
  records: readonly InspectionRecord[];
  lastDay: number | null;
}) {
  const { device, timeline, subject, listHref, inspections } = props;
  const shown = timeline && timeline.entity === device ? timeline : null;
  return (
    <>
      {shown && <DevicePanel t={shown} subject={subject} listHref={listHref} />}
      {shown && inspections && (
        <DeviceInspections
          domain={props.domain}
          device={device}
          spec={inspections}
          records={props.records}
          defaultDay={props.lastDay}
          subject={subject}
        />
      )}
      {timeline === null && (
        <p className="panel field-error" role="alert">
          No {subject} &quot;{device}&quot; in this log. <a href={listHref}>Back to the day&apos;s list</a>
        </p>
      )}
    </>
  );
}
