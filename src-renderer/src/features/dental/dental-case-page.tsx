import { useEffect, useMemo, useState } from 'react';
import type { Job } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, statusLabel } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { isJobActive } from '../jobs/jobs-state.js';
import { CaptionsPanel } from './captions-panel.js';
import { DentalMeshes } from './dental-meshes.js';
import { FilesPanel } from './files-panel.js';
import { NiftiHeaderPanel } from './nifti-header-panel.js';
import { PanoramicPanel } from './panoramic-panel.js';
import { VoiceCaptionPanel } from './voice-caption/voice-caption-panel.js';

/** The CBCT's import job, followed by its events (a resync reloads it). */
function useCbctJob(jobId: string | null, onEnd: () => void): Job | null {
  const api = useApi();
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (jobId === null) return;
    let isCurrent = true;
    const load = (): void => {
      api.call('jobs.get', { id: jobId }).then(
        (found) => {
          if (isCurrent) setJob(found);
        },
        () => undefined,
      );
    };
    const stop = api.on('jobs.updated', ({ job: updated }) => {
      if (updated.id !== jobId) return;
      setJob(updated);
      if (!isJobActive(updated)) onEnd();
    });
    const stopResync = api.onResync(load);
    load();
    return () => {
      isCurrent = false;
      stop();
      stopResync();
    };
    // onEnd is the page's reload; the job is what matters.
  }, [api, jobId]);
  return job;
}

/**
 * One dental case (#/dental/<id>): its parts with their processing, the jaws in 3D, the CBCT
 * (the 2D/MPR viewer, the panoramic view, the NIfTI header), text captions and stored files.
 */
export function DentalCasePage({
  caseId,
  navigate,
}: {
  caseId: string;
  navigate: (route: Route) => void;
}) {
  const api = useApi();
  const mayWrite = useCan('scans.write');
  const found = useAsync(() => api.call('dental.cases.get', { id: caseId }), [api, caseId]);
  const folders = useAsync(() => api.call('dental.folders.list', {}), [api]);
  const dentalCase = found.data;
  const job = useCbctJob(dentalCase?.cbct?.jobId ?? null, found.reload);
  const scanId = dentalCase?.cbct?.scanId ?? null;
  const scan = useAsync(
    () => (scanId === null ? Promise.resolve(null) : api.call('scans.get', { id: scanId })),
    [api, scanId],
  );
  const cbctFiles = useAsync(
    () =>
      scanId === null
        ? Promise.resolve(null)
        : api.call('dental.files.list', { caseId, type: 'cbct', limit: 5 }),
    [api, caseId, scanId],
  );
  const niftiFile = cbctFiles.data?.items.find((f) => /\.nii(\.gz)?$/i.test(f.fileName)) ?? null;
  const [moveError, setMoveError] = useState<string | null>(null);
  const [showPanoramic, setShowPanoramic] = useState(false);
  const stls = useMemo(
    () => [dentalCase?.upper, dentalCase?.lower].filter((s) => s !== null && s !== undefined),
    [dentalCase],
  );

  if (found.error !== null) return <ErrorMessage message={found.error} />;
  if (dentalCase === undefined) return <div className="table-placeholder">Loading the case…</div>;
  const cbctStatus = job?.status ?? dentalCase.cbct?.status ?? null;

  return (
    <section className="page dental-case-page" data-testid="dental-case-page">
      <header className="page-header">
        <div>
          <a href="#/dental">Dental cases</a>
          <h1 data-testid="dental-case-name">{dentalCase.name}</h1>
          <p className="muted">
            {dentalCase.patientName ?? 'No patient'} · created {formatDate(dentalCase.createdAt)}
            {dentalCase.createdBy !== null && ` by ${dentalCase.createdBy}`}
          </p>
        </div>
        <span className="spacer" />
        {mayWrite && (
          <label className="inline-field">
            <span>Folder</span>
            <select
              value={dentalCase.folderId ?? ''}
              onChange={(e) => {
                setMoveError(null);
                api
                  .call('dental.cases.move', {
                    caseId,
                    folderId: e.target.value === '' ? null : e.target.value,
                  })
                  .then(found.reload, (failure: unknown) => setMoveError(errorMessage(failure)));
              }}
              data-testid="dental-case-folder"
            >
              <option value="">No folder</option>
              {folders.data?.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {moveError !== null && <ErrorMessage message={moveError} />}

      <section className="card" aria-labelledby="dental-parts-title">
        <h2 id="dental-parts-title">Parts and processing</h2>
        <ul className="dental-parts" data-testid="dental-parts">
          {(['upper', 'lower'] as const).map((role) => {
            const part = dentalCase[role];
            return (
              <li key={role} data-testid={`dental-part-${role}`}>
                <strong>{role === 'upper' ? 'Upper jaw STL' : 'Lower jaw STL'}:</strong>{' '}
                {part === null
                  ? 'not given'
                  : `${part.fileName}: checked and stored (${part.triangleCount.toLocaleString('en')} triangles, ${part.format})`}
              </li>
            );
          })}
          <li data-testid="dental-part-cbct" data-status={cbctStatus ?? 'none'}>
            <strong>CBCT:</strong>{' '}
            {dentalCase.cbct === null
              ? 'not given'
              : `import ${statusLabel(cbctStatus ?? 'queued').toLowerCase()}${job?.stage ? ` (${job.stage})` : ''}`}
            {job !== null && isJobActive(job) && (
              <>
                <ProgressBar
                  progress={job.progress}
                  status={job.status}
                  label="CBCT import"
                  testId="dental-cbct-progress"
                />
                <button
                  type="button"
                  className="small"
                  onClick={() =>
                    void api.call('jobs.cancel', { id: job.id }).catch(() => undefined)
                  }
                >
                  Cancel the import
                </button>
              </>
            )}
            {job?.error !== null && job?.error !== undefined && (
              <ErrorMessage message={job.error.message} />
            )}
            {dentalCase.cbct !== null && cbctStatus === 'completed' && scanId === null && (
              <span className="muted">
                {' '}
                — every file was imported before, so this case has no volume of its own.
              </span>
            )}
          </li>
        </ul>
      </section>

      {stls.length > 0 && (
        <section className="card" aria-labelledby="dental-3d-title">
          <h2 id="dental-3d-title">Intra-oral scans in 3D</h2>
          <DentalMeshes parts={stls} />
        </section>
      )}

      {scanId !== null && (
        <section className="card" aria-labelledby="dental-cbct-title">
          <h2 id="dental-cbct-title">CBCT</h2>
          <div className="actions">
            <button
              type="button"
              onClick={() => navigate({ page: 'scan', id: scanId })}
              data-testid="dental-cbct-open"
            >
              Open in the viewer (2D and MPR)
            </button>
            <button
              type="button"
              onClick={() => setShowPanoramic((s) => !s)}
              disabled={scan.data === undefined || scan.data === null}
              data-testid="dental-panoramic-toggle"
            >
              {showPanoramic ? 'Hide the panoramic view' : 'Panoramic view'}
            </button>
          </div>
          <p className="muted">
            The viewer offers dental windows for CBCT (keys 6, 7, 8): bone/teeth, soft tissue,
            implant.
          </p>
          {showPanoramic && scan.data !== undefined && scan.data !== null && (
            <PanoramicPanel scan={scan.data.scan} />
          )}
          {niftiFile !== null && <NiftiHeaderPanel file={niftiFile} />}
        </section>
      )}

      <section className="card" aria-labelledby="dental-captions-title">
        <h2 id="dental-captions-title">Captions</h2>
        <CaptionsPanel caseId={caseId} />
        <VoiceCaptionPanel caseId={caseId} />
      </section>

      <section className="card" aria-labelledby="dental-files-title">
        <h2 id="dental-files-title">Files</h2>
        <FilesPanel key={`${scanId ?? ''}-${cbctStatus ?? ''}`} caseId={caseId} />
      </section>
    </section>
  );
}
