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

/**
 * Receives a measurement being drawn: its points in image coordinates so far; `done` when it is
 * complete (a length, ellipse or arrow on release; an angle on the click that places its third
 * point).
 */
export type MeasureListener = (
  kind: MeasurementKind,
  points: readonly ImagePoint[],
  done: boolean,
) => void;

/** A point of a shown measurement under the pointer: which one, and which of its points. */
export interface HandleHit {
  readonly id: string;
  readonly index: number;
}

interface DragStart {
  readonly mode: DragMode | 'handle';
  readonly x: number;
  readonly y: number;
  readonly viewport: Viewport;
}

const isDrawing = (mode: DragStart['mode']): mode is MeasurementKind =>
  mode === 'length' || mode === 'ellipse' || mode === 'angle' || mode === 'arrow';

/**
 * Pointer handling for a cornerstone element: drag for window/level and pan, wheel for slices
 * (or zoom with Ctrl, or always for single images), drawing measurements, and dragging the
 * handles of shown ones. cornerstone-core has no tools of its own; these few are all a reading
 * room needs without cornerstone-tools.
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
    /** Whether the viewer still shows the unfinished angle (Escape drops it). */
    hasDraft?: () => boolean;
    /** The handle of a shown measurement at a canvas point, if any. */
    handleAt?: (canvas: ImagePoint) => HandleHit | null;
    /** A handle dragged to a new image point; `done` on release. */
    onHandleMove?: (hit: HandleHit, point: ImagePoint, done: boolean) => void;
  },
): () => void {
  let start: DragStart | null = null;
  const canvasPoint = (event: PointerEvent): ImagePoint => {
    const box = element.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  const toImage = (event: PointerEvent): ImagePoint =>
    cornerstone.canvasToPixel(element, canvasPoint(event));
  let measureStart: ImagePoint | null = null;
  /** An angle's first ray, placed by a drag; the next click places its third point. */
  let angleRay: readonly [ImagePoint, ImagePoint] | null = null;
  let handle: HandleHit | null = null;

  const onPointerDown = (event: PointerEvent): void => {
    const viewport = cornerstone.getViewport(element);
    if (viewport === undefined) return;
    element.setPointerCapture(event.pointerId);
    element.focus({ preventScroll: true });
    event.preventDefault();
    const tool = options.tool?.() ?? 'window';
    if (angleRay !== null && (tool !== 'angle' || options.hasDraft?.() === false)) angleRay = null;
    if (angleRay !== null && event.button === 0) {
      options.onMeasure?.('angle', [...angleRay, toImage(event)], true);
      angleRay = null;
      start = null;
      return;
    }
    const hit = event.button === 0 ? (options.handleAt?.(canvasPoint(event)) ?? null) : null;
    handle = hit;
    start = {
      mode: hit !== null ? 'handle' : dragModeOf(event, tool),
      x: event.clientX,
      y: event.clientY,
      viewport: structuredClone(viewport),
    };
    measureStart = isDrawing(start.mode) ? toImage(event) : null;
  };
  const onPointerMove = (event: PointerEvent): void => {
    if (start === null) {
      // Between the angle's ray and its third point, the second ray follows the pointer.
      if (angleRay !== null && options.hasDraft?.() !== false)
        options.onMeasure?.('angle', [...angleRay, toImage(event)], false);
      return;
    }
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    const range = options.valueRange();
    if (start.mode === 'handle' && handle !== null) {
      options.onHandleMove?.(handle, toImage(event), false);
    } else if (start.mode === 'window' && range !== null) {
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
    } else if (isDrawing(start.mode) && measureStart !== null) {
      if (Math.hypot(dx, dy) >= MIN_MEASUREMENT_DRAG)
        options.onMeasure?.(start.mode, [measureStart, toImage(event)], false);
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
    const dragged =
      start !== null &&
      Math.hypot(event.clientX - start.x, event.clientY - start.y) >= MIN_MEASUREMENT_DRAG;
    if (start?.mode === 'handle' && handle !== null && dragged)
      options.onHandleMove?.(handle, toImage(event), true);
    else if (start !== null && isDrawing(start.mode) && measureStart !== null && dragged) {
      const points = [measureStart, toImage(event)] as const;
      if (start.mode === 'angle') {
        angleRay = points;
        options.onMeasure?.('angle', points, false);
      } else options.onMeasure?.(start.mode, points, true);
    }
    start = null;
    measureStart = null;
    handle = null;
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
    if (measureStart !== null || angleRay !== null) options.onMeasureCancel?.();
    start = null;
    measureStart = null;
    angleRay = null;
    handle = null;
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
