import { useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { syncedIndex, type SyncGeometry } from './series-sync.js';
import type { MeasurementStore } from './use-saved-measurements.js';
import { Viewer2D, type LabelOverlay } from './viewer-2d.js';

/**
 * Two series side by side. While linked, scrolling either one moves the other to the slice at
 * the same position along the slice normal (or the same relative position without geometry).
 */
export function CompareViewers({
  scan,
  frameCount,
  index: left,
  onIndexChange: setLeft,
  otherId,
  overlay,
  measurements,
  selectedMeasurementId,
  onSelectMeasurement,
}: {
  scan: Scan;
  frameCount: number;
  /** The first series' slice, held by the page (overlay "go to lesion" moves it too). */
  index: number;
  onIndexChange: (index: number) => void;
  otherId: string;
  overlay: LabelOverlay | null;
  /** The first series' saved measurements (the page lists them). */
  measurements: MeasurementStore;
  selectedMeasurementId: string | null;
  onSelectMeasurement: (id: string | null, editLabel?: boolean) => void;
}) {
  const api = useApi();
  const other = useAsync(() => api.call('scans.get', { id: otherId }), [api, otherId]);
  const otherInfo = useAsync(
    () => api.call('images.frameInfo', { scanId: otherId, index: 0 }),
    [api, otherId],
  );
  const [isLinked, setIsLinked] = useState(true);
  const [right, setRight] = useState<number | null>(null);

  const otherScan = other.data?.scan;
  const otherFrames = otherInfo.data?.frameCount ?? otherScan?.slices ?? 1;
  const leftGeometry: SyncGeometry = { ...scan, slices: frameCount };
  const rightGeometry: SyncGeometry | null =
    otherScan === undefined ? null : { ...otherScan, slices: otherFrames };
  const rightIndex =
    right ?? (rightGeometry === null ? 0 : syncedIndex(leftGeometry, left, rightGeometry));

  function moveLeft(index: number): void {
    setLeft(index);
    if (isLinked && rightGeometry !== null)
      setRight(syncedIndex(leftGeometry, index, rightGeometry));
  }
  function moveRight(index: number): void {
    setRight(index);
    if (isLinked && rightGeometry !== null)
      setLeft(syncedIndex(rightGeometry, index, leftGeometry));
  }

  const failure = other.error ?? otherInfo.error;
  return (
    <div className="compare" data-testid="compare">
      <label className="compare-link">
        <input
          type="checkbox"
          checked={isLinked}
          onChange={(e) => setIsLinked(e.target.checked)}
          data-testid="compare-linked"
        />{' '}
        Scroll together
      </label>
      <div className="compare-layout">
        <Viewer2D
          scan={scan}
          frameCount={frameCount}
          index={left}
          onIndexChange={moveLeft}
          overlay={overlay}
          caption={scan.description ?? scan.modality ?? scan.format}
          measurements={measurements}
          selectedMeasurementId={selectedMeasurementId}
          onSelectMeasurement={onSelectMeasurement}
        />
        {failure !== null ? (
          <ErrorMessage message={failure} />
        ) : otherScan !== undefined && otherInfo.data !== undefined ? (
          <div className="compare-second" data-testid="compare-second">
            <Viewer2D
              scan={otherScan}
              frameCount={otherFrames}
              index={rightIndex}
              onIndexChange={moveRight}
              caption={otherScan.description ?? otherScan.modality ?? otherScan.format}
              testIdSuffix="-compare"
            />
          </div>
        ) : (
          <div className="viewport placeholder" aria-busy="true" />
        )}
      </div>
    </div>
  );
}
