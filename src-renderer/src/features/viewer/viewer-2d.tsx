import { useRef, useState, type KeyboardEvent } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { useCornerstoneViewport } from './use-cornerstone-viewport.js';
import { formatWindow } from './window-level.js';

const ZOOM_STEP = 1.25;

/**
 * The 2D viewer: a cornerstone-core viewport with window/level (drag or presets), zoom, pan,
 * invert, reset and slice navigation (wheel, arrows, slider).
 */
export function Viewer2D({
  scan,
  frameCount,
}: {
  scan: Pick<Scan, 'id' | 'modality'>;
  frameCount: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const [index, setIndex] = useState(() => Math.floor((Math.max(1, frameCount) - 1) / 2));
  const step = (delta: number): void =>
    setIndex((i) => Math.min(frameCount - 1, Math.max(0, i + delta)));
  const viewport = useCornerstoneViewport(element, scan, index, {
    frameCount: () => frameCount,
    onSliceStep: step,
  });
  const { view } = viewport;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const actions: Record<string, () => void> = {
      ArrowUp: () => step(-1),
      ArrowDown: () => step(1),
      PageUp: () => step(-10),
      PageDown: () => step(10),
      '+': () => viewport.zoomBy(ZOOM_STEP),
      '-': () => viewport.zoomBy(1 / ZOOM_STEP),
      i: viewport.toggleInvert,
      r: viewport.reset,
    };
    const action = actions[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  }

  return (
    <div className="viewer" data-testid="viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <div className="preset-group" role="group" aria-label="Window presets">
          {view.presets.map((preset) => (
            <button
              key={preset.id}
              type="button"
              className="button small"
              title={formatWindow(preset)}
              onClick={() => viewport.applyWindow(preset)}
              data-testid={`preset-${preset.id}`}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button
          type="button"
          className="button small"
          onClick={() => viewport.zoomBy(ZOOM_STEP)}
          data-testid="zoom-in"
          title="Zoom in (+)"
        >
          Zoom +
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => viewport.zoomBy(1 / ZOOM_STEP)}
          data-testid="zoom-out"
          title="Zoom out (−)"
        >
          Zoom −
        </button>
        <button
          type="button"
          className="button small"
          aria-pressed={view.invert}
          onClick={viewport.toggleInvert}
          data-testid="invert"
          title="Invert (I)"
        >
          Invert
        </button>
        <button
          type="button"
          className="button small"
          onClick={viewport.reset}
          data-testid="reset"
          title="Reset (R)"
        >
          Reset
        </button>
      </div>
      <div
        ref={element}
        className="viewport"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label="Image viewport: drag to change window and level, right-drag to pan, wheel for slices"
        data-testid="viewport"
        data-state={view.status}
        data-render-count={view.renderCount}
        data-window-center={view.voi?.center}
        data-window-width={view.voi?.width}
        data-invert={view.invert}
        data-index={index}
      >
        <canvas className="cornerstone-canvas" />
        <div className="viewport-overlay top-left" aria-hidden="true">
          {frameCount > 1 && (
            <span data-testid="viewport-slice">
              Slice {index + 1} / {frameCount}
            </span>
          )}
        </div>
        <div className="viewport-overlay bottom-left" aria-hidden="true">
          {view.voi !== null && <span data-testid="viewport-window">{formatWindow(view.voi)}</span>}
          <span>Zoom {Math.round(view.scale * 100)}%</span>
        </div>
        {view.status === 'loading' && view.renderCount === 0 && (
          <div className="viewport-message" data-testid="viewport-loading">
            Loading image…
          </div>
        )}
        {view.status === 'error' && (
          <div className="viewport-message">
            <ErrorMessage message={view.error} />
          </div>
        )}
      </div>
      {frameCount > 1 && (
        <label className="slice-slider">
          <span className="visually-hidden">Slice</span>
          <input
            type="range"
            min={0}
            max={frameCount - 1}
            value={index}
            onChange={(e) => setIndex(Number(e.target.value))}
            data-testid="slice-slider"
          />
        </label>
      )}
    </div>
  );
}
