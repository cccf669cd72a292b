import { useEffect, useRef, useState } from 'react';
import type { LabelOverlay } from '../label-overlay.js';
import { dragWindow, type VoiWindow } from '../window-level.js';
import {
  edgeLabels,
  fittedRect,
  pixelAtPoint,
  planePointOf,
  voxelAt,
  type MprGrid,
  type MprPlane,
  type PlaneLayout,
  type Voxel,
} from './mpr-geometry.js';
import { blendLabels, reformat, reformatLabels, windowedRgba, type Slab } from './mpr-reformat.js';
import { storedWindow, type MprVolume } from './mpr-volume.js';

/** Each plane's colour: its pane's frame, and its line in the other two panes. */
export const PLANE_COLOURS: Record<MprPlane, string> = {
  axial: '#29b6f6',
  coronal: '#ba68c8',
  sagittal: '#ffa726',
};

const PLANE_NAMES: Record<MprPlane, string> = {
  axial: 'Axial',
  coronal: 'Coronal',
  sagittal: 'Sagittal',
};

/** Keys that step through a focused pane's slices, as in the 2D viewer. */
const SLICE_KEYS: Readonly<Record<string, number>> = {
  ArrowDown: 1,
  ArrowUp: -1,
  PageDown: 10,
  PageUp: -10,
};

/** The other planes' lines: the plane cut by a vertical line, and by a horizontal one. */
export interface CrossLines {
  readonly vertical: MprPlane | null;
  readonly horizontal: MprPlane | null;
}

/**
 * One reformatted plane on a canvas: the volume's slice through the crosshair (or a slab around
 * it) through the shared window, the label layers over it, the crosshair lines of the other
 * planes, and the orientation letters. Left click or drag moves the crosshair; the wheel moves
 * through the plane's slices; right-drag or Shift-drag changes the window.
 */
export function MprPane({
  plane,
  grid,
  layout,
  volume,
  crosshair,
  onCrosshair,
  window,
  onWindow,
  slab,
  overlay,
  lines,
}: {
  plane: MprPlane;
  grid: MprGrid;
  layout: PlaneLayout;
  volume: MprVolume;
  crosshair: Voxel;
  onCrosshair: (voxel: Voxel) => void;
  window: VoiWindow;
  onWindow: (window: VoiWindow) => void;
  slab: Slab | null;
  overlay: LabelOverlay | null;
  lines: CrossLines;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const renderCount = useRef(0);
  const [boxSize, setBoxSize] = useState({ width: 0, height: 0 });
  const point = planePointOf(layout, crosshair);
  const labels = edgeLabels(grid, layout);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const observer = new ResizeObserver(() =>
      setBoxSize({ width: canvas.clientWidth, height: canvas.clientHeight }),
    );
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || boxSize.width === 0 || boxSize.height === 0) return;
    const scale = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(boxSize.width * scale);
    canvas.height = Math.round(boxSize.height * scale);
    const context = canvas.getContext('2d');
    if (context === null) return;

    const values = reformat(volume, layout, point.slice, slab);
    const inStored = storedWindow(volume, window);
    const rgba = windowedRgba(values, inStored.window, volume.isInverted !== inStored.flips);
    for (const layer of overlay?.layers ?? []) {
      const { columns, rows, frames, data } = layer.volume;
      if (columns !== volume.dims[0] || rows !== volume.dims[1] || frames !== volume.dims[2])
        continue;
      const sliceLabels = reformatLabels({ dims: volume.dims, data }, layout, point.slice, slab);
      blendLabels(rgba, sliceLabels, layer.palette);
    }
    const picture = new OffscreenCanvas(layout.width, layout.height);
    picture.getContext('2d')?.putImageData(new ImageData(rgba, layout.width, layout.height), 0, 0);

    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.fillStyle = '#000';
    context.fillRect(0, 0, boxSize.width, boxSize.height);
    const rect = fittedRect(layout, boxSize.width, boxSize.height);
    context.imageSmoothingEnabled = true;
    context.drawImage(picture, rect.x, rect.y, rect.width, rect.height);

    // The crosshair through the centre of its voxel, in the colours of the planes it stands for.
    const x = rect.x + ((point.x + 0.5) / layout.width) * rect.width;
    const y = rect.y + ((point.y + 0.5) / layout.height) * rect.height;
    context.lineWidth = 1;
    if (lines.vertical !== null) {
      context.strokeStyle = PLANE_COLOURS[lines.vertical];
      context.beginPath();
      context.moveTo(x, rect.y);
      context.lineTo(x, rect.y + rect.height);
      context.stroke();
    }
    if (lines.horizontal !== null) {
      context.strokeStyle = PLANE_COLOURS[lines.horizontal];
      context.beginPath();
      context.moveTo(rect.x, y);
      context.lineTo(rect.x + rect.width, y);
      context.stroke();
    }
    // Said on the canvas once drawn (not by React's render, which comes first): what tests and
    // tools may rely on as "this slice is on screen".
    renderCount.current += 1;
    canvas.dataset['renderCount'] = String(renderCount.current);
    canvas.dataset['slice'] = String(point.slice);
  }, [volume, layout, point.x, point.y, point.slice, window, slab, overlay, lines, boxSize]);

  // The wheel steps through this plane's slices; a native listener, because React's is passive
  // and the page must not scroll under the pointer.
  const onWheelRef = useRef((_event: WheelEvent): void => undefined);
  const stepSlice = (step: number): void => {
    const voxel = [...crosshair] as [number, number, number];
    voxel[layout.through] = Math.min(layout.depth - 1, Math.max(0, point.slice + step));
    onCrosshair(voxel);
  };
  onWheelRef.current = (event) => {
    event.preventDefault();
    stepSlice(event.deltaY > 0 ? 1 : -1);
  };
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const listener = (event: WheelEvent): void => onWheelRef.current(event);
    canvas.addEventListener('wheel', listener, { passive: false });
    return () => canvas.removeEventListener('wheel', listener);
  }, []);

  const drag = useRef<
    { kind: 'crosshair' } | { kind: 'window'; start: VoiWindow; x: number; y: number } | null
  >(null);

  const moveCrosshair = (event: React.PointerEvent<HTMLCanvasElement>): void => {
    const canvas = event.currentTarget;
    const bounds = canvas.getBoundingClientRect();
    const rect = fittedRect(layout, bounds.width, bounds.height);
    const pixel = pixelAtPoint(layout, rect, {
      x: event.clientX - bounds.left,
      y: event.clientY - bounds.top,
    });
    onCrosshair(voxelAt(layout, pixel.x, pixel.y, point.slice));
  };

  const slabNote =
    slab === null
      ? null
      : `${slab.mode === 'mip' ? 'MIP' : slab.mode === 'minip' ? 'MinIP' : 'Average'} ${slab.thicknessMm} mm`;

  return (
    <div
      className="mpr-pane"
      style={{ borderColor: PLANE_COLOURS[plane] }}
      data-testid={`mpr-pane-${plane}`}
    >
      <canvas
        ref={canvasRef}
        data-testid={`mpr-canvas-${plane}`}
        aria-label={`${PLANE_NAMES[plane]} reformat, slice ${point.slice + 1} of ${layout.depth}`}
        tabIndex={0}
        onKeyDown={(event) => {
          const step = SLICE_KEYS[event.key];
          if (step === undefined) return;
          event.preventDefault();
          stepSlice(step);
        }}
        onContextMenu={(event) => event.preventDefault()}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          if (event.button === 2 || event.shiftKey)
            drag.current = { kind: 'window', start: window, x: event.clientX, y: event.clientY };
          else if (event.button === 0) {
            drag.current = { kind: 'crosshair' };
            moveCrosshair(event);
          }
        }}
        onPointerMove={(event) => {
          const current = drag.current;
          if (current === null) return;
          if (current.kind === 'crosshair') moveCrosshair(event);
          else
            onWindow(
              dragWindow(
                current.start,
                event.clientX - current.x,
                event.clientY - current.y,
                volume.range,
                event.currentTarget.clientWidth,
              ),
            );
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
        onPointerCancel={() => {
          drag.current = null;
        }}
      />
      <div className="viewport-overlay top-left">
        <span style={{ color: PLANE_COLOURS[plane] }}>{PLANE_NAMES[plane]}</span>
        <span data-testid={`mpr-${plane}-slice`}>
          {point.slice + 1} / {layout.depth}
        </span>
        {slabNote !== null && <span>{slabNote}</span>}
      </div>
      <div className="viewport-overlay bottom-left">
        <span>
          {layout.pixelWidthMm.toFixed(2)} × {layout.pixelHeightMm.toFixed(2)} mm
        </span>
      </div>
      {(['top', 'bottom', 'left', 'right'] as const).map((edge) =>
        labels[edge] === '' ? null : (
          <span
            key={edge}
            className={`orientation-marker ${edge}`}
            data-testid={`mpr-${plane}-marker-${edge}`}
            aria-hidden="true"
          >
            {labels[edge]}
          </span>
        ),
      )}
    </div>
  );
}
