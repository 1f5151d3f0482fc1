/**
 * Why a job (a scored file, a fleet log) gave no results, in words: the file was refused
 * (`refused`) or the worker failed (`failed`, after `failedLead`). One wording in every view.
 */
export function JobStopped({ run, failedLead }: { run: { phase: string; message?: string | null }; failedLead: string }) {
  if (run.phase !== 'refused' && run.phase !== 'failed') return null;
  return (
    <p className="field-error" role="alert">
      {run.phase === 'refused' ? 'The file was refused' : failedLead}: {run.message}
    </p>
  );
}
