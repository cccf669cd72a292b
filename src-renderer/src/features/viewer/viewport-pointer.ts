import type { CornerstoneApi, Viewport } from 'cornerstone-core';
import { MIN_MEASUREMENT_DRAG, type ImagePoint, type MeasurementKind } from './measurements.js';
import { dragWindow } from './window-level.js';

/** The left button's tool: window/level, or drawing a measurement. */
export type PrimaryTool = 'window' | MeasurementKind;

/** What a drag does: the primary tool with the left button, pan with the right or middle (or Shift). */
export type DragMode = PrimaryTool | 'pan';

export function dragModeOf(
  event: Pick<PointerEvent, 'button' | 'shiftKey'>,
  tool: PrimaryTool = 'window',
): DragMode {
  return event.button === 0 && !event.shiftKey ? tool : 'pan';
}

/** Receives a measurement being drawn: its ends in image coordinates; `done` on release. */
export type MeasureListener = (
  kind: MeasurementKind,
  start: ImagePoint,
  end: ImagePoint,
  done: boolean,
) => void;

interface DragStart {
  readonly mode: DragMode;
  readonly x: number;
  readonly y: number;
  readonly viewport: Viewport;
}

/**
 * Pointer handling for a cornerstone element: drag for window/level and pan, wheel for slices
 * (or zoom with Ctrl, or always for single images). cornerstone-core has no tools of its own;
 * these few are all a reading room needs without cornerstone-tools.
 */
export function attachViewportPointer(
  cornerstone: CornerstoneApi,
  element: HTMLElement,
  options: {
    valueRange: () => { low: number; high: number } | null;
    frameCount: () => number;
    onSliceStep: (delta: 1 | -1) => void;
    tool?: () => PrimaryTool;
    onMeasure?: MeasureListener;
    /** The drawing was interrupted (pointer cancelled): drop the unfinished measurement. */
    onMeasureCancel?: () => void;
  },
): () => void {
  let start: DragStart | null = null;
  const toImage = (event: PointerEvent): ImagePoint => {
    const box = element.getBoundingClientRect();
    return cornerstone.canvasToPixel(element, {
      x: event.clientX - box.left,
      y: event.clientY - box.top,
    });
  };
  let measureStart: ImagePoint | null = null;

  const onPointerDown = (event: PointerEvent): void => {
    const viewport = cornerstone.getViewport(element);
    if (viewport === undefined) return;
    element.setPointerCapture(event.pointerId);
    element.focus({ preventScroll: true });
    start = {
      mode: dragModeOf(event, options.tool?.() ?? 'window'),
      x: event.clientX,
      y: event.clientY,
      viewport: structuredClone(viewport),
    };
    measureStart = start.mode === 'length' || start.mode === 'ellipse' ? toImage(event) : null;
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent): void => {
    if (start === null) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    const range = options.valueRange();
    if (start.mode === 'window' && range !== null) {
      const next = dragWindow(
        { center: start.viewport.voi.windowCenter, width: start.viewport.voi.windowWidth },
        dx,
        dy,
        range,
        element.clientHeight,
      );
      cornerstone.setViewport(element, {
        voi: { windowCenter: next.center, windowWidth: next.width },
      });
    } else if ((start.mode === 'length' || start.mode === 'ellipse') && measureStart !== null) {
      if (Math.hypot(dx, dy) >= MIN_MEASUREMENT_DRAG)
        options.onMeasure?.(start.mode, measureStart, toImage(event), false);
    } else if (start.mode === 'pan') {
      const scale = start.viewport.scale || 1;
      cornerstone.setViewport(element, {
        translation: {
          x: start.viewport.translation.x + dx / scale,
          y: start.viewport.translation.y + dy / scale,
        },
      });
    }
  };
  const onPointerUp = (event: PointerEvent): void => {
    if (start !== null && element.hasPointerCapture(event.pointerId))
      element.releasePointerCapture(event.pointerId);
    if (
      start !== null &&
      (start.mode === 'length' || start.mode === 'ellipse') &&
      measureStart !== null &&
      Math.hypot(event.clientX - start.x, event.clientY - start.y) >= MIN_MEASUREMENT_DRAG
    )
      options.onMeasure?.(start.mode, measureStart, toImage(event), true);
    start = null;
    measureStart = null;
  };
  const onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    if (options.frameCount() > 1 && !event.ctrlKey) {
      options.onSliceStep(event.deltaY > 0 ? 1 : -1);
      return;
    }
    const viewport = cornerstone.getViewport(element);
    if (viewport === undefined) return;
    cornerstone.setViewport(element, {
      scale: clampScale(viewport.scale * Math.exp(-event.deltaY * 0.0015)),
    });
  };
  const onPointerCancel = (event: PointerEvent): void => {
    if (start !== null && element.hasPointerCapture(event.pointerId))
      element.releasePointerCapture(event.pointerId);
    if (measureStart !== null) options.onMeasureCancel?.();
    start = null;
    measureStart = null;
  };
  const onContextMenu = (event: Event): void => event.preventDefault();

  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  element.addEventListener('pointercancel', onPointerCancel);
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('contextmenu', onContextMenu);
  return () => {
    element.removeEventListener('pointerdown', onPointerDown);
    element.removeEventListener('pointermove', onPointerMove);
    element.removeEventListener('pointerup', onPointerUp);
    element.removeEventListener('pointercancel', onPointerCancel);
    element.removeEventListener('wheel', onWheel);
    element.removeEventListener('contextmenu', onContextMenu);
  };
}

export function clampScale(scale: number): number {
  return Math.min(40, Math.max(0.05, scale));
}
