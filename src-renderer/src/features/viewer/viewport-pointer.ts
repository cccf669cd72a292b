import type { CornerstoneApi, Viewport } from 'cornerstone-core';
import { dragWindow } from './window-level.js';

/** What a drag does: window/level with the left button, pan with the right or middle (or Shift). */
export type DragMode = 'window' | 'pan';

export function dragModeOf(event: Pick<PointerEvent, 'button' | 'shiftKey'>): DragMode {
  return event.button === 0 && !event.shiftKey ? 'window' : 'pan';
}

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
  },
): () => void {
  let start: DragStart | null = null;

  const onPointerDown = (event: PointerEvent): void => {
    const viewport = cornerstone.getViewport(element);
    if (viewport === undefined) return;
    element.setPointerCapture(event.pointerId);
    element.focus({ preventScroll: true });
    start = {
      mode: dragModeOf(event),
      x: event.clientX,
      y: event.clientY,
      viewport: structuredClone(viewport),
    };
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
    start = null;
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
  const onContextMenu = (event: Event): void => event.preventDefault();

  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  element.addEventListener('pointercancel', onPointerUp);
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('contextmenu', onContextMenu);
  return () => {
    element.removeEventListener('pointerdown', onPointerDown);
    element.removeEventListener('pointermove', onPointerMove);
    element.removeEventListener('pointerup', onPointerUp);
    element.removeEventListener('pointercancel', onPointerUp);
    element.removeEventListener('wheel', onWheel);
    element.removeEventListener('contextmenu', onContextMenu);
  };
}

export function clampScale(scale: number): number {
  return Math.min(40, Math.max(0.05, scale));
}
