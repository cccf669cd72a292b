import { useCallback, useEffect, useState } from 'react';
import type { Job } from '../../../../src-shared/contract/entities.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import type { Visualization } from '../../../../src-shared/contract/visualizations.js';
import type { MeshQuality } from '../../../../src-shared/mesh/mask-surface.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes, formatDate, formatPercent } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { saveDownload } from '../../ui/save-download.js';
import type { ColourScheme } from './colour-schemes.js';
import { MESH_QUALITY_NAMES, MeshQualitySelect } from './mesh-quality-select.js';

const isBuilding = (v: Visualization): boolean =>
  v.status === 'pending' || v.status === 'processing';

/** A visualization with the progress of its job as the last `jobs.updated` event told it. */
function withJob(visualization: Visualization, job: Job | undefined): Visualization {
  if (job === undefined || !isBuilding(visualization)) return visualization;
  return { ...visualization, progress: job.progress, stage: job.stage };
}

/**
 * "HTML scene" on the 3D page: builds the scene as one self-contained HTML file in the core (a
 * job with progress and cancel), lists the scan's scenes and downloads them. The file opens in
 * any current browser without network; it uses the page's tumour source, colours and highlight.
 */
export function HtmlScenePanel(props: {
  scanId: string;
  source: string | null;
  highlightTumor: boolean;
  colorScheme: ColourScheme;
}) {
  const { scanId } = props;
  const api = useApi();
  const canCreate = useCan('analysis.run');
  const canCancel = useCan('jobs.manage');
  const [quality, setQuality] = useState<MeshQuality>('medium');
  const [items, setItems] = useState<Visualization[] | null>(null);
  const [jobs, setJobs] = useState<ReadonlyMap<string, Job>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [isStarting, setIsStarting] = useState(false);
  /** A role without access to scenes (a patient account) does not see the panel at all. */
  const [isDenied, setIsDenied] = useState(false);

  const reload = useCallback(() => {
    api.call('visualizations.list', { scanId }).then(setItems, (failure: unknown) => {
      if (isApiError(failure) && failure.code === 'PERMISSION_DENIED') setIsDenied(true);
      else setError(errorMessage(failure));
    });
  }, [api, scanId]);

  useEffect(() => {
    reload();
    return api.on('jobs.updated', ({ job }) => {
      if (job.type !== 'visualization.build' || job.payload.scanId !== scanId) return;
      setJobs((all) => new Map(all).set(job.id, job));
      // A job that ended changed the list (size, lesions, status): read it again.
      if (job.status !== 'pending' && job.status !== 'processing') reload();
    });
  }, [api, scanId, reload]);

  async function generate(): Promise<void> {
    setError(null);
    setIsStarting(true);
    try {
      const created = await api.call('visualizations.create', {
        scanId,
        quality,
        highlightTumor: props.highlightTumor,
        colorScheme: props.colorScheme,
        ...(props.source !== null && { source: props.source }),
      });
      setItems((all) => [created, ...(all ?? []).filter((v) => v.id !== created.id)]);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsStarting(false);
    }
  }

  function download(visualization: Visualization): void {
    setError(null);
    api.stream('visualizations.html', { id: visualization.id }).then(
      ({ description, data }) =>
        saveDownload(description.fileName, data, STREAM_CONTENT_TYPES.html),
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }

  function cancel(visualization: Visualization): void {
    if (visualization.jobId === null) return;
    api.call('jobs.cancel', { id: visualization.jobId }).then(reload, (failure: unknown) => {
      setError(errorMessage(failure));
    });
  }

  if (isDenied) return null;
  const shown = (items ?? []).map((v) =>
    withJob(v, v.jobId === null ? undefined : jobs.get(v.jobId)),
  );
  return (
    <section className="panel html-scene-panel" data-testid="html-scene-panel">
      <h3>HTML scene</h3>
      <p className="muted">
        The tumour and head in one interactive HTML file that opens offline in any current browser,
        with the colours and highlight chosen here.
      </p>
      {canCreate && (
        <div className="viewer-options">
          <MeshQualitySelect value={quality} onChange={setQuality} testId="html-scene-quality" />
          <button
            type="button"
            className="button small"
            disabled={isStarting || props.source === null}
            title={
              props.source === null ? 'Needs a tumour mask: analyse the scan first' : undefined
            }
            onClick={() => void generate()}
            data-testid="html-scene-generate"
          >
            Generate HTML scene
          </button>
        </div>
      )}
      {error !== null && <ErrorMessage message={error} />}
      {items !== null && items.length === 0 && <p className="muted">No HTML scene yet.</p>}
      <ul className="viewer3d-lesions">
        {shown.map((v) => (
          <li key={v.id} data-testid="html-scene-item" data-status={v.status}>
            <div>
              {MESH_QUALITY_NAMES[v.quality]} quality · {formatDate(v.createdAt)}
              {v.status === 'completed' && v.size !== null && (
                <span className="muted">
                  {' '}
                  · {v.lesionCount ?? 0} lesion{v.lesionCount === 1 ? '' : 's'} ·{' '}
                  {formatBytes(v.size)}
                </span>
              )}
            </div>
            {isBuilding(v) && (
              <div className="job-progress">
                <ProgressBar
                  progress={v.progress}
                  status={v.status}
                  label="HTML scene progress"
                  testId="html-scene-progress"
                />
                <span className="progress-text">
                  {formatPercent(v.progress)}
                  {v.stage !== null && <span className="muted"> · {v.stage}</span>}
                </span>
                {canCancel && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => cancel(v)}
                    data-testid="html-scene-cancel"
                  >
                    Cancel
                  </button>
                )}
              </div>
            )}
            {v.status === 'completed' && (
              <button
                type="button"
                className="button small"
                onClick={() => download(v)}
                data-testid="html-scene-download"
              >
                Download
              </button>
            )}
            {(v.status === 'failed' || v.status === 'cancelled') && (
              <span className="muted">
                {v.status === 'cancelled' ? 'Cancelled' : 'Failed'}
                {v.error !== null && `: ${v.error}`}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
