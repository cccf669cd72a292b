import { useMemo, useState } from 'react';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { GrowthPanel } from '../reports/growth-panel.js';
import { ReportButton } from '../reports/report-button.js';
import { AddLabelMap } from './add-label-map.js';
import { AttributePanel } from './attribute-panel.js';
import { CompareSelect } from './compare-select.js';
import { CompareViewers } from './compare-viewers.js';
import { labelledFrames } from './label-overlay.js';
import { OverlayControls, type OverlayChoice } from './overlay-controls.js';
import { ProcessingStatus } from './processing-status.js';
import { SeriesStrip } from './series-strip.js';
import { useLabelVolume } from './use-label-volume.js';
import { Viewer2D } from './viewer-2d.js';

const DEFAULT_OPACITY = 0.4;

/**
 * One scan: series thumbnails, the 2D viewer (alone or beside another series of the patient),
 * a label-mask overlay, its attributes and processing status.
 */
export function ScanDetailPage({
  scanId,
  navigate,
}: {
  scanId: string;
  navigate: (route: Route) => void;
}) {
  const api = useApi();
  const canDelete = useCan('scans.delete');
  const canImport = useCan('import.run');
  const detail = useAsync(() => api.call('scans.get', { id: scanId }), [api, scanId]);
  const frameInfo = useAsync(
    () => api.call('images.frameInfo', { scanId, index: 0 }),
    [api, scanId],
  );
  const [isConfirming, setIsConfirming] = useState(false);
  const [index, setIndex] = useState<number | null>(null);
  const [compareWith, setCompareWith] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [overlayChoice, setOverlayChoice] = useState<OverlayChoice>({
    source: null,
    opacity: DEFAULT_OPACITY,
  });
  const labels = useLabelVolume(scanId, overlayChoice.source, analysis?.id ?? null);
  const framesWithLabels = useMemo(
    () => (labels.volume === null ? null : labelledFrames(labels.volume)),
    [labels.volume],
  );
  const [deleteError, setDeleteError] = useState<string | null>(null);

  async function remove(): Promise<void> {
    try {
      await api.call('scans.delete', { id: scanId });
      navigate({ page: 'worklist' });
    } catch (failure) {
      setDeleteError(errorMessage(failure));
      setIsConfirming(false);
    }
  }

  if (detail.error !== null)
    return (
      <section className="page-section" data-testid="scan-detail-page">
        <EmptyState title="This scan cannot be shown." testId="scan-missing">
          <ErrorMessage message={detail.error} />
          <p>
            <a href="#/worklist">Back to the worklist</a>
          </p>
        </EmptyState>
      </section>
    );
  const data = detail.data;
  const scan = data?.scan;
  const frameCount = frameInfo.data?.frameCount ?? scan?.slices ?? 1;
  const shownIndex = index ?? Math.floor((Math.max(1, frameCount) - 1) / 2);
  const overlay =
    labels.volume === null ? null : { volume: labels.volume, opacity: overlayChoice.opacity };
  const lesionNavigation = {
    frameCount,
    onGoTo: (frame: number): void => {
      setIndex(frame);
      // Show the lesion itself: turn on the analysis mask unless another overlay was chosen.
      if (overlayChoice.source === null && analysis?.outputs.hasMask === true)
        setOverlayChoice({ ...overlayChoice, source: 'analysis' });
    },
  };

  return (
    <section className="scan-detail" data-testid="scan-detail-page" aria-label="Scan">
      <header className="scan-title">
        <a href="#/worklist" className="button small">
          ← Worklist
        </a>
        <h2>
          {scan?.patientName ?? (scan === undefined ? 'Loading…' : 'Unknown patient')}
          {scan !== undefined && (
            <span className="muted"> · {scan.description ?? scan.modality ?? scan.format}</span>
          )}
        </h2>
        <span className="spacer" />
        {scan !== undefined && scan.patientId !== null && (
          <a
            className="button small"
            href={`#/patients/${scan.patientId}`}
            data-testid="scan-patient-link"
          >
            Patient
          </a>
        )}
        {scan !== undefined && (
          <ReportButton scanId={scanId} hasAnalysis={analysis !== null} navigate={navigate} />
        )}
        {canDelete && scan !== undefined && (
          <button
            type="button"
            className="button small danger"
            onClick={() => setIsConfirming(true)}
            data-testid="scan-delete"
          >
            Delete scan
          </button>
        )}
      </header>
      <ErrorMessage message={deleteError} />
      <div className="scan-layout">
        {scan !== undefined ? (
          <SeriesStrip scan={scan} navigate={navigate} />
        ) : (
          <div className="series-strip" />
        )}
        <div className="viewer-column">
          {frameInfo.error !== null ? (
            <EmptyState title="The image cannot be shown." testId="viewer-unavailable">
              <ErrorMessage message={frameInfo.error} />
            </EmptyState>
          ) : scan !== undefined && frameInfo.data !== undefined ? (
            <>
              <div className="viewer-options">
                <CompareSelect scan={scan} value={compareWith} onChange={setCompareWith} />
                <OverlayControls
                  hasAnalysisMask={analysis?.outputs.hasMask === true}
                  segmentations={data?.segmentations ?? []}
                  choice={overlayChoice}
                  onChange={setOverlayChoice}
                  labelledFrames={framesWithLabels}
                  onJump={setIndex}
                  error={labels.error}
                />
                {canImport && <AddLabelMap scanId={scanId} onAdded={detail.reload} />}
              </div>
              {compareWith === null ? (
                <Viewer2D
                  scan={scan}
                  frameCount={frameCount}
                  index={shownIndex}
                  onIndexChange={setIndex}
                  overlay={overlay}
                />
              ) : (
                <CompareViewers
                  scan={scan}
                  frameCount={frameCount}
                  index={shownIndex}
                  onIndexChange={setIndex}
                  otherId={compareWith}
                  overlay={overlay}
                />
              )}
            </>
          ) : (
            <div className="viewport placeholder" aria-busy="true" />
          )}
        </div>
        <aside className="side-column">
          {scan !== undefined && (
            <ProcessingStatus
              scan={scan}
              onAnalysis={setAnalysis}
              lesionNavigation={frameInfo.data === undefined ? null : lesionNavigation}
            />
          )}
          {analysis !== null && <GrowthPanel scanId={scanId} analysisId={analysis.id} />}
          {data !== undefined && <AttributePanel detail={data} frame={frameInfo.data ?? null} />}
        </aside>
      </div>
      {isConfirming && scan !== undefined && (
        <ConfirmDialog
          title="Delete this scan?"
          confirmLabel="Delete scan"
          onConfirm={() => void remove()}
          onCancel={() => setIsConfirming(false)}
          testId="confirm-delete-scan"
        >
          The scan of {scan.patientName ?? 'an unknown patient'} and its stored files are removed
          for good.
        </ConfirmDialog>
      )}
    </section>
  );
}
