import { useId } from 'react';
import { fmtInt } from '@/components/ui/format';
import { countOf } from '@/domain/words';
import type { FleetSummary, KeepInfo } from '@/inference/client';
import { formatBytes } from '@/storage/fleet-workspace-store';
import type { KeptState } from './use-workspace';

/**
 * The fleet workspace kept in this browser: the opt-in switch and what it means, what is kept
 * (readings, devices, size, files appended), what the last file did (added, replaced, rejected,
 * set aside: the counts add up), and export, import and delete.
 */
export function WorkspacePanel({
  subject,
  keepOn,
  setKeepOn,
  kept,
  summary,
  changedElsewhere,
  onReload,
  onExport,
  onImport,
  onDelete,
  busy,
}: {
  subject: string;
  keepOn: boolean;
  setKeepOn: (on: boolean) => void;
  kept: KeptState;
  summary: FleetSummary | null;
  changedElsewhere: boolean;
  onReload: () => void;
  onExport: (() => void) | null;
  onImport: (file: File) => void;
  onDelete: () => void;
  busy: boolean;
}) {
  const id = useId();
  const ws = summary?.workspace ?? null;
  const m = summary?.merge;
  return (
    <div className="workspace" aria-labelledby={`${id}-title`} role="group">
      <h2 id={`${id}-title`} className="sr-only">
        Fleet workspace
      </h2>
      <input id={`${id}-keep`} type="checkbox" checked={keepOn} onChange={(e) => setKeepOn(e.target.checked)} />{' '}
      <label htmlFor={`${id}-keep`}>Keep this fleet in this browser</label>
      <p className="muted small">
        {keepOn ? 'On: the' : 'Off. When on, the'} log you load is kept in this browser (IndexedDB) with its scores, so the next visit opens on the
        latest list and each later file (a day&apos;s export, or several days) is appended: only its readings, and the later readings of the same{' '}
        {subject}s, are scored. Nothing leaves the browser; anyone using this browser profile can read it.
      </p>
      {kept.state === 'unreadable' && (
        <p className="field-error" role="alert">
          The fleet workspace kept in this browser cannot be read ({kept.problem}). It is kept as it is until you delete it.
        </p>
      )}
      {kept.state === 'ok' && (
        <p data-testid="workspace-kept">
          Kept: {countOf(kept.meta.readings, 'reading')} of {countOf(kept.meta.devices, subject)} from {countOf(kept.meta.files.length, 'file')}
          {ws ? `, ${formatBytes(ws.bytes)}` : ''}; scored by {kept.meta.model.id} {kept.meta.model.version}.
        </p>
      )}
      {changedElsewhere && (
        <p role="status">
          The workspace was changed in another tab.{' '}
          <button type="button" className="secondary" onClick={onReload}>
            Show the latest
          </button>
        </p>
      )}
      {ws?.note && <p role="status">{ws.note}</p>}
      {ws && !ws.saved && (
        <p className="field-error" role="alert">
          {ws.problem}
        </p>
      )}
      {ws && m && summary.rowsRead > 0 && <LastFileCounts summary={summary} merge={m} subject={subject} />}
      {(ws?.files.length ?? 0) > 1 && <AppendedFiles files={ws!.files} />}
      <WorkspaceButtons {...{ id, kept, onExport, onImport, onDelete, busy }} />
    </div>
  );
}

/** What the last file did to the kept log: the rows read, as added, replaced, rejected and set aside (the counts add up). */
function LastFileCounts({ summary, merge: m, subject }: { summary: FleetSummary; merge: FleetSummary['merge']; subject: string }) {
  return (
    <p data-testid="workspace-append" role="status">
      {countOf(summary.rowsRead, 'row')} read = {fmtInt(m.added)} added + {fmtInt(m.replaced)} replaced (same {subject} and date: the file&apos;s
      reading wins) + {fmtInt(summary.rowsRejected)} rejected + {fmtInt(summary.duplicates)} set aside (a later row of the file gave the same{' '}
      {subject} and date); {countOf(m.scored, 'reading')} scored.
    </p>
  );
}

/** The files appended to the kept log, each with what it did. */
function AppendedFiles({ files }: { files: KeepInfo['files'] }) {
  return (
    <details>
      <summary>Files appended ({fmtInt(files.length)})</summary>
      <ul>
        {files.map((f, i) => (
          <li key={i}>
            {f.name}, {f.at.slice(0, 10)}: {fmtInt(f.added)} added, {fmtInt(f.replaced)} replaced, {fmtInt(f.rejected)} rejected, {fmtInt(f.setAside)}{' '}
            set aside
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Export, import and delete the workspace. */
function WorkspaceButtons({
  id,
  kept,
  onExport,
  onImport,
  onDelete,
  busy,
}: {
  id: string;
  kept: KeptState;
  onExport: (() => void) | null;
  onImport: (file: File) => void;
  onDelete: () => void;
  busy: boolean;
}) {
  return (
    <div className="actions">
      <button type="button" className="secondary" disabled={!onExport || busy} onClick={() => onExport?.()}>
        Export the workspace (one file)
      </button>
      <label htmlFor={`${id}-import`} className="file-label">
        Import a workspace
      </label>{' '}
      <input
        id={`${id}-import`}
        type="file"
        accept=".json,application/json"
        disabled={busy}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onImport(f);
          e.target.value = '';
        }}
      />
      <button type="button" className="secondary" disabled={kept.state === 'none' || kept.state === 'loading' || busy} onClick={onDelete}>
        Delete the workspace
      </button>
    </div>
  );
}
