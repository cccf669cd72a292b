import { useEffect, useMemo, useState } from 'react';
import type { FrameInfo } from '../../../../../src-shared/contract/frames.js';
import { ErrorMessage } from '../../../ui/error-message.js';
import { ProgressBar } from '../../../ui/progress-bar.js';
import type { LabelOverlay } from '../label-overlay.js';
import { foregroundPercentileWindow, formatWindow, type VoiWindow } from '../window-level.js';
import {
  MPR_PLANES,
  planeLayout,
  type MprGrid,
  type MprPlane,
  type Voxel,
} from './mpr-geometry.js';
import { MprPane, type CrossLines } from './mpr-pane.js';
import { SLAB_MODES, labelledCentreOnFrame, type Slab, type SlabMode } from './mpr-reformat.js';
import { useMprVolume } from './use-mpr-volume.js';
import type { MprScan, MprVolume } from './mpr-volume.js';

const SLAB_LABELS: Record<SlabMode | 'thin', string> = {
  thin: 'Thin slice',
  mip: 'MIP (maximum)',
  minip: 'MinIP (minimum)',
  average: 'Average',
};

/** The slab thickness offered first: 10 mm, a common thick-slab MIP of vessels or nodules. */
const DEFAULT_THICKNESS_MM = 10;

/**
 * Multiplanar reformats of a scan: axial, coronal and sagittal side by side through one
 * crosshair, with the page's label overlay, thick slabs and the viewer's window. Loads every
 * frame first (with progress and cancel).
 */
export function MprView(props: {
  scan: MprScan;
  frameCount: number;
  frameInfo: FrameInfo;
  overlay: LabelOverlay | null;
  /** The frame the 2D viewer showed: the crosshair starts on it. */
  index: number;
  onIndexChange: (index: number) => void;
  /** The 2D viewer's window, shared both ways; null = not known yet. */
  window: VoiWindow | null;
  onWindowChange: (window: VoiWindow) => void;
}) {
  const [attempt, setAttempt] = useState(0);
  return (
    <MprLoader
      key={`${props.scan.id}-${attempt}`}
      {...props}
      onRetry={() => setAttempt((a) => a + 1)}
    />
  );
}

function MprLoader(props: Parameters<typeof MprView>[0] & { onRetry: () => void }) {
  const { state, cancel } = useMprVolume(props.scan.id, props.frameCount);
  if (state.status === 'ready') return <MprPanes {...props} volume={state.volume} />;
  return (
    <div className="mpr-view mpr-message" data-testid="mpr-view">
      {state.status === 'loading' && (
        <>
          <p data-testid="mpr-progress">
            Loading the volume for MPR: {state.loaded} of {state.total} slices
          </p>
          <ProgressBar
            progress={state.loaded / Math.max(1, state.total)}
            status="processing"
            label="Slices loaded"
          />
          <button type="button" className="button small" onClick={cancel} data-testid="mpr-cancel">
            Cancel
          </button>
        </>
      )}
      {state.status === 'cancelled' && (
        <p>
          Loading was cancelled.{' '}
          <button type="button" className="button small" onClick={props.onRetry}>
            Load again
          </button>
        </p>
      )}
      {state.status === 'failed' && (
        <>
          <ErrorMessage message={`The volume cannot be shown in MPR: ${state.error}`} />
          <button type="button" className="button small" onClick={props.onRetry}>
            Try again
          </button>
        </>
      )}
    </div>
  );
}

/** A first window when the 2D viewer has none: the file's, else the head's 1–99 % percentiles. */
function startingWindow(volume: MprVolume, info: FrameInfo): VoiWindow {
  if (info.windowCenter !== null && info.windowWidth !== null && info.windowWidth > 0)
    return { center: info.windowCenter, width: info.windowWidth };
  const volumeInfo = {
    ...info,
    rescaleSlope: volume.rescaleSlope,
    rescaleIntercept: volume.rescaleIntercept,
    minValue: (volume.range.low - volume.rescaleIntercept) / (volume.rescaleSlope || 1),
    maxValue: (volume.range.high - volume.rescaleIntercept) / (volume.rescaleSlope || 1),
  };
  return foregroundPercentileWindow(volumeInfo, volume.data, 0.01, 0.99);
}

function MprPanes({
  scan,
  frameInfo,
  overlay,
  index,
  onIndexChange,
  window: sharedWindow,
  onWindowChange,
  volume,
}: Parameters<typeof MprView>[0] & { volume: MprVolume }) {
  const grid = useMemo((): MprGrid => {
    const spacing = scan.spacing ?? [1, 1, 1];
    return {
      dims: volume.dims,
      spacing: [spacing[0], spacing[1], spacing[2] ?? 1],
      direction: scan.direction ?? [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    };
  }, [scan.spacing, scan.direction, volume.dims]);
  const layouts = useMemo(
    () =>
      Object.fromEntries(MPR_PLANES.map((plane) => [plane, planeLayout(grid, plane)])) as Record<
        MprPlane,
        ReturnType<typeof planeLayout>
      >,
    [grid],
  );
  const lines = useMemo(() => {
    const cutBy = (axis: number): MprPlane | null =>
      MPR_PLANES.find((plane) => layouts[plane].through === axis) ?? null;
    return Object.fromEntries(
      MPR_PLANES.map((plane) => [
        plane,
        {
          vertical: cutBy(layouts[plane].across.axis),
          horizontal: cutBy(layouts[plane].down.axis),
        },
      ]),
    ) as Record<MprPlane, CrossLines>;
  }, [layouts]);

  /** The crosshair on a frame: through the labels' middle when the frame has labels. */
  const crosshairOnFrame = (frame: number, otherwise: Voxel): Voxel => {
    const k = Math.min(volume.dims[2] - 1, Math.max(0, frame));
    for (const layer of [...(overlay?.layers ?? [])].reverse()) {
      const { columns, rows, frames, data } = layer.volume;
      if (columns !== volume.dims[0] || rows !== volume.dims[1] || frames !== volume.dims[2])
        continue;
      const centre = labelledCentreOnFrame({ dims: volume.dims, data }, k);
      if (centre !== null) return [centre.column, centre.row, k];
    }
    return [otherwise[0], otherwise[1], k];
  };
  const [crosshair, setCrosshair] = useState<Voxel>(() =>
    crosshairOnFrame(index, [Math.floor(volume.dims[0] / 2), Math.floor(volume.dims[1] / 2), 0]),
  );
  // The page moved to another frame (a lesion's "Go to", the labels' jump): follow it.
  useEffect(() => {
    setCrosshair((current) => (current[2] === index ? current : crosshairOnFrame(index, current)));
    // crosshairOnFrame reads the overlay of this render; only a new index moves the crosshair.
  }, [index]);
  const [ownWindow] = useState(() => sharedWindow ?? startingWindow(volume, frameInfo));
  const window = sharedWindow ?? ownWindow;
  const [slabMode, setSlabMode] = useState<SlabMode | 'thin'>('thin');
  const [thicknessMm, setThicknessMm] = useState(DEFAULT_THICKNESS_MM);
  const slab = useMemo(
    (): Slab | null => (slabMode === 'thin' ? null : { mode: slabMode, thicknessMm }),
    [slabMode, thicknessMm],
  );

  const moveCrosshair = (voxel: Voxel): void => {
    setCrosshair(voxel);
    if (voxel[2] !== crosshair[2]) onIndexChange(voxel[2]);
  };

  return (
    <div className="mpr-view" data-testid="mpr-view">
      <div className="mpr-toolbar">
        <label>
          Slab{' '}
          <select
            value={slabMode}
            onChange={(event) => setSlabMode(event.target.value as SlabMode | 'thin')}
            data-testid="mpr-slab-mode"
          >
            {(['thin', ...SLAB_MODES] as const).map((mode) => (
              <option key={mode} value={mode}>
                {SLAB_LABELS[mode]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Thickness{' '}
          <input
            type="number"
            min={1}
            max={200}
            step={1}
            value={thicknessMm}
            disabled={slabMode === 'thin'}
            onChange={(event) => {
              const value = Number(event.target.value);
              if (Number.isFinite(value) && value >= 1 && value <= 200) setThicknessMm(value);
            }}
            data-testid="mpr-slab-thickness"
            aria-label="Slab thickness in mm"
          />{' '}
          mm
        </label>
        <span className="muted" data-testid="mpr-window">
          {formatWindow(window)}
        </span>
        <span className="muted mpr-hint">
          Click or drag: move the crosshair · wheel, ↑/↓: slices · right- or Shift-drag: window
        </span>
      </div>
      <div className="mpr-grid">
        {MPR_PLANES.map((plane) => (
          <MprPane
            key={plane}
            plane={plane}
            grid={grid}
            layout={layouts[plane]}
            volume={volume}
            crosshair={crosshair}
            onCrosshair={moveCrosshair}
            window={window}
            onWindow={onWindowChange}
            slab={slab}
            overlay={overlay}
            lines={lines[plane]}
          />
        ))}
      </div>
      <p className="muted mpr-position" data-testid="mpr-position">
        Crosshair at voxel {crosshair[0] + 1}, {crosshair[1] + 1}, slice {crosshair[2] + 1}
      </p>
    </div>
  );
}
