import { useEffect, useMemo, useRef, useState } from 'react';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { AssignPatientDialog } from '../patients/assign-patient-dialog.js';
import { GrowthPanel } from '../reports/growth-panel.js';
import { ReportButton } from '../reports/report-button.js';
import { AddLabelMap } from './add-label-map.js';
import { AttributePanel } from './attribute-panel.js';
import { CompareSelect } from './compare-select.js';
import { CompareViewers } from './compare-viewers.js';
import { labelledFrames, type LabelOverlay } from './label-overlay.js';
import { MaskComparison } from './mask-comparison.js';
import { aiLegend, expertLegend, paintLayer } from './mask-legend.js';
import { MeasurementPanel } from './measurement-panel.js';
import { MprView } from './mpr/mpr-view.js';
import { mprUnavailableReason } from './mpr/mpr-volume.js';
import { OverlayControls, type MaskChoice } from './overlay-controls.js';
import { PriorOffer } from './prior-offer.js';
import { TagBrowser } from './tag-browser.js';
import { useSavedMeasurements } from './use-saved-measurements.js';
import { readViewerState, writeViewerState, type StoredView } from './viewer-state-store.js';
import { ProcessingStatus } from './processing-status.js';
import { ReadingsPanel } from '../readings/readings-panel.js';
import { isRadiographCandidate } from '../readings/radiograph.js';
import { DeidentifyDialog } from './deidentify-dialog.js';
import { SeriesStrip } from './series-strip.js';
import { useLabelVolume } from './use-label-volume.js';
import { Viewer2D } from './viewer-2d.js';
import type { VoiWindow } from './window-level.js';

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
  const userId = useSession()?.user.id ?? null;
  const canDelete = useCan('scans.delete');
  const canWrite = useCan('annotations.write');
  const canImport = useCan('import.run');
  const canAssign = useCan('scans.write');
  const canExport = useCan('scans.read');
  const [isDeidentifying, setIsDeidentifying] = useState(false);
  const [isAssigning, setIsAssigning] = useState(false);
  const detail = useAsync(() => api.call('scans.get', { id: scanId }), [api, scanId]);
  const frameInfo = useAsync(
    () => api.call('images.frameInfo', { scanId, index: 0 }),
    [api, scanId],
  );
  // The reader's last view of this scan (slice, window, zoom, overlay), kept per user in this
  // browser's localStorage (docs/viewer-habits.md).
  const stored = useMemo(
    () => (userId === null ? {} : readViewerState(window.localStorage, userId, scanId)),
    [userId, scanId],
  );
  const [isConfirming, setIsConfirming] = useState(false);
  const [index, setIndex] = useState<number | null>(stored.index ?? null);
  const [compareWith, setCompareWith] = useState<string | null>(null);
  /** MPR in place of the 2D viewer, with the window both share (docs/mpr.md). */
  const [mpr, setMpr] = useState<{ window: VoiWindow | null } | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [masks, setMasks] = useState<MaskChoice>({
    showAnalysis: stored.masks?.showAnalysis ?? false,
    segmentationId: stored.masks?.segmentationId ?? null,
    styles: {},
  });
  const hasAnalysisMask = analysis?.outputs.hasMask === true;
  const aiLabels = useLabelVolume(
    scanId,
    masks.showAnalysis && hasAnalysisMask ? 'analysis' : null,
    analysis?.id ?? null,
  );
  const measurements = useSavedMeasurements(scanId);
  const [selected, setSelected] = useState<{ id: string | null; editLabel: boolean }>({
    id: null,
    editLabel: false,
  });
  const pendingView = useRef<StoredView | null>(null);
  const saveTimer = useRef<number | null>(null);
  // Written a moment after the last change (a window drag renders many times), and on leaving.
  const flushViewerState = useRef(() => undefined as void);
  flushViewerState.current = () => {
    if (userId === null) return;
    writeViewerState(window.localStorage, userId, scanId, {
      ...(index !== null && { index }),
      ...(pendingView.current !== null && { view: pendingView.current }),
      masks: { showAnalysis: masks.showAnalysis, segmentationId: masks.segmentationId },
    });
  };
  const scheduleSave = (): void => {
    if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      saveTimer.current = null;
      flushViewerState.current();
    }, 300);
  };
  useEffect(scheduleSave, [index, masks]);
  useEffect(
    () => () => {
      if (saveTimer.current !== null) window.clearTimeout(saveTimer.current);
      flushViewerState.current();
    },
    [],
  );
  const expertLabels = useLabelVolume(scanId, masks.segmentationId, null);
  const segmentation =
    detail.data?.segmentations.find((s) => s.id === masks.segmentationId) ?? null;
  const legend = useMemo(
    () => [
      ...(masks.showAnalysis && hasAnalysisMask ? aiLegend() : []),
      ...(segmentation === null ? [] : expertLegend(segmentation.id, segmentation.labels)),
    ],
    [masks.showAnalysis, hasAnalysisMask, segmentation],
  );
  // The expert's labels under the AI mask's, so the AI outline stays visible where they overlap.
  const overlay = useMemo((): LabelOverlay | null => {
    const layers = [
      ...(expertLabels.volume === null || segmentation === null
        ? []
        : [paintLayer(segmentation.id, expertLabels.volume, legend, masks.styles)]),
      ...(aiLabels.volume === null
        ? []
        : [paintLayer('analysis', aiLabels.volume, legend, masks.styles)]),
    ];
    return layers.length === 0 ? null : { layers };
  }, [aiLabels.volume, expertLabels.volume, segmentation, legend, masks.styles]);
  const framesWithLabels = useMemo(() => {
    if (overlay === null) return null;
    const frames = new Set(overlay.layers.flatMap((layer) => labelledFrames(layer.volume)));
    return [...frames].sort((a, b) => a - b);
  }, [overlay]);
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
  // A slice kept from an earlier visit is clamped: the scan may have been re-imported shorter.
  const shownIndex = Math.min(
    frameCount - 1,
    index ?? Math.floor((Math.max(1, frameCount) - 1) / 2),
  );
  const mprRefusal =
    scan === undefined ? null : mprUnavailableReason(scan, frameCount, frameInfo.data ?? null);
  // Comparing shows two 2D viewers: it ends MPR.
  const compare = (otherId: string | null): void => {
    setCompareWith(otherId);
    if (otherId !== null) setMpr(null);
  };
  const toggleMpr = (): void => {
    if (mpr !== null) {
      setMpr(null);
      return;
    }
    setMpr({ window: pendingView.current?.voi ?? stored.view?.voi ?? null });
  };
  const onMprWindow = (window: VoiWindow): void => {
    setMpr({ window });
    // The 2D viewer opens with it again (its view is restored from the latest one).
    if (pendingView.current !== null) {
      pendingView.current = { ...pendingView.current, voi: window };
      scheduleSave();
    }
  };
  const lesionNavigation = {
    frameCount,
    onGoTo: (frame: number): void => {
      setIndex(frame);
      // Show the lesion itself: turn on the analysis mask.
      if (!masks.showAnalysis && hasAnalysisMask) setMasks({ ...masks, showAnalysis: true });
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
        {canAssign && scan !== undefined && (
          <button
            type="button"
            className="button small"
            onClick={() => setIsAssigning(true)}
            data-testid="scan-assign-patient"
            title="Assign this scan (a DICOM series: its whole study) to a patient"
          >
            {scan.patientId === null ? 'Assign to patient…' : 'Change patient…'}
          </button>
        )}
        {scan !== undefined && scan.kind !== 'image' && (
          <a
            className="button small"
            href={`#/scans/${scanId}/3d`}
            data-testid="scan-open-3d"
            title="The tumour, the head and attached meshes in 3D"
          >
            3D
          </a>
        )}
        {scan !== undefined && (
          <ReportButton scanId={scanId} hasAnalysis={analysis !== null} navigate={navigate} />
        )}
        {canExport && scan !== undefined && scan.format === 'dicom' && (
          <button
            type="button"
            className="button small"
            onClick={() => setIsDeidentifying(true)}
            data-testid="scan-deidentify"
            title="Export this series or its study as de-identified DICOM"
          >
            De-identified export…
          </button>
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
      {isDeidentifying && scan !== undefined && (
        <DeidentifyDialog
          scanId={scanId}
          studyId={scan.studyId}
          onClose={() => setIsDeidentifying(false)}
        />
      )}
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
                <CompareSelect scan={scan} value={compareWith} onChange={compare} />
                {compareWith === null && (
                  <PriorOffer scan={scan} study={data?.study ?? null} onCompare={compare} />
                )}
                <OverlayControls
                  hasAnalysisMask={hasAnalysisMask}
                  segmentations={data?.segmentations ?? []}
                  choice={masks}
                  onChange={setMasks}
                  legend={legend}
                  labelledFrames={framesWithLabels}
                  onJump={setIndex}
                  error={aiLabels.error ?? expertLabels.error}
                />
                <button
                  type="button"
                  className="button small"
                  aria-pressed={mpr !== null}
                  disabled={mprRefusal !== null}
                  title={
                    mprRefusal ??
                    'Axial, coronal and sagittal reformats side by side, with linked crosshairs and thick slabs'
                  }
                  onClick={toggleMpr}
                  data-testid="viewer-mpr-toggle"
                >
                  MPR
                </button>
                {canImport && <AddLabelMap scanId={scanId} onAdded={detail.reload} />}
              </div>
              {hasAnalysisMask && segmentation !== null && analysis !== null && (
                <MaskComparison
                  scanId={scanId}
                  segmentationId={segmentation.id}
                  analysisId={analysis.id}
                />
              )}
              {mpr !== null ? (
                <MprView
                  scan={scan}
                  frameCount={frameCount}
                  frameInfo={frameInfo.data}
                  overlay={overlay}
                  index={shownIndex}
                  onIndexChange={setIndex}
                  window={mpr.window}
                  onWindowChange={onMprWindow}
                />
              ) : compareWith === null ? (
                <Viewer2D
                  scan={scan}
                  frameCount={frameCount}
                  index={shownIndex}
                  onIndexChange={setIndex}
                  overlay={overlay}
                  measurements={measurements}
                  selectedMeasurementId={selected.id}
                  onSelectMeasurement={(id, editLabel = false) => setSelected({ id, editLabel })}
                  initialView={pendingView.current ?? stored.view ?? null}
                  onViewChange={(view) => {
                    pendingView.current = view;
                    scheduleSave();
                  }}
                />
              ) : (
                <CompareViewers
                  scan={scan}
                  frameCount={frameCount}
                  index={shownIndex}
                  onIndexChange={setIndex}
                  otherId={compareWith}
                  overlay={overlay}
                  measurements={measurements}
                  selectedMeasurementId={selected.id}
                  onSelectMeasurement={(id, editLabel = false) => setSelected({ id, editLabel })}
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
          {scan !== undefined && isRadiographCandidate(scan) && <ReadingsPanel scanId={scanId} />}
          <MeasurementPanel
            scanId={scanId}
            store={measurements}
            selectedId={selected.id}
            labelFocusId={selected.editLabel ? selected.id : null}
            onSelect={(id) => setSelected({ id, editLabel: false })}
            onJump={setIndex}
            canWrite={canWrite}
          />
          {analysis !== null && <GrowthPanel scanId={scanId} analysisId={analysis.id} />}
          {data !== undefined && <AttributePanel detail={data} frame={frameInfo.data ?? null} />}
          {data !== undefined && data.instances.length > 0 && (
            <TagBrowser scanId={scanId} instances={data.instances} index={shownIndex} />
          )}
        </aside>
      </div>
      {isAssigning && scan !== undefined && (
        <AssignPatientDialog
          scan={scan}
          onCancel={() => setIsAssigning(false)}
          onAssigned={() => {
            setIsAssigning(false);
            detail.reload();
          }}
        />
      )}
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
