import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { LabelOverlayCanvas } from './label-overlay-canvas.js';
import type { LabelOverlay } from './label-overlay.js';

export type { LabelOverlay } from './label-overlay.js';
import { MeasurementLayer, type DrawnMeasurement } from './measurement-layer.js';
import {
  measurementLabel,
  valueUnitFor,
  type ImagePoint,
  type Measurement,
  type MeasurementKind,
} from './measurements.js';
import { OrientationMarkersView } from './orientation-markers-view.js';
import { useCornerstoneViewport } from './use-cornerstone-viewport.js';
import { useFramePrefetch } from './use-frame-prefetch.js';
import type { PrimaryTool } from './viewport-pointer.js';
import { formatWindow } from './window-level.js';

const ZOOM_STEP = 1.25;
const CINE_RATES = [5, 10, 15, 20, 30] as const;

const TOOL_LABELS: Record<PrimaryTool, string> = {
  window: 'W/L',
  length: 'Length',
  ellipse: 'Ellipse',
};

let nextMeasurementId = 1;

/** A toolbar button; `pressed` makes it a toggle (announced and styled as such). */
function ToolButton({
  testId,
  title,
  onClick,
  pressed,
  children,
}: {
  testId: string;
  title: string;
  onClick: () => void;
  pressed?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="button small"
      aria-pressed={pressed}
      onClick={onClick}
      data-testid={testId}
      title={title}
    >
      {children}
    </button>
  );
}

/**
 * The 2D viewer: a cornerstone-core viewport with window/level (drag or presets), zoom, pan,
 * rotate, flip, invert, reset, length and elliptical-region measurements in mm, orientation
 * markers, a label-mask overlay, and slice navigation (wheel, arrows, slider, cine). The slice
 * index may be controlled by the parent (two series side by side scroll together).
 */
export function Viewer2D({
  scan,
  frameCount,
  index: controlledIndex,
  onIndexChange,
  overlay = null,
  caption = null,
  testIdSuffix = '',
}: {
  scan: Pick<Scan, 'id' | 'modality' | 'direction'>;
  frameCount: number;
  index?: number;
  onIndexChange?: (index: number) => void;
  overlay?: LabelOverlay | null;
  /** Names the series in the viewport's corner (when two are shown side by side). */
  caption?: string | null;
  /** Tells this viewer's elements apart from a second viewer's on the same page. */
  testIdSuffix?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const [ownIndex, setOwnIndex] = useState(() => Math.floor((Math.max(1, frameCount) - 1) / 2));
  const index = controlledIndex ?? ownIndex;
  const setIndex = (next: number): void => {
    const clamped = Math.min(frameCount - 1, Math.max(0, next));
    if (onIndexChange !== undefined) onIndexChange(clamped);
    else setOwnIndex(clamped);
  };
  const indexRef = useRef(index);
  indexRef.current = index;
  const step = (delta: number): void => setIndex(indexRef.current + delta);

  const [tool, setTool] = useState<PrimaryTool>('window');
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [measurements, setMeasurements] = useState<Measurement[]>([]);
  const [draft, setDraft] = useState<Measurement | null>(null);
  const [cineRate, setCineRate] = useState<number | null>(null);
  const [lastCineRate, setLastCineRate] = useState(10);

  const onMeasure = (
    kind: MeasurementKind,
    start: ImagePoint,
    end: ImagePoint,
    done: boolean,
  ): void => {
    const measurement: Measurement = {
      id: draft?.id ?? nextMeasurementId++,
      kind,
      frame: indexRef.current,
      start,
      end,
    };
    if (done) {
      setMeasurements((all) => [...all, measurement]);
      setDraft(null);
    } else {
      setDraft(measurement);
    }
  };

  const viewport = useCornerstoneViewport(element, scan, index, {
    frameCount: () => frameCount,
    onSliceStep: step,
    tool: () => toolRef.current,
    onMeasure,
    onMeasureCancel: () => setDraft(null),
  });
  const { view } = viewport;
  // After the viewport hook: it registers the image loader the prefetch goes through.
  useFramePrefetch(scan.id, index, frameCount);

  // Cine: steps through the stack at the chosen rate, from the last slice back to the first.
  useEffect(() => {
    if (cineRate === null || frameCount < 2) return;
    const timer = window.setInterval(() => {
      const next = indexRef.current + 1 >= frameCount ? 0 : indexRef.current + 1;
      if (onIndexChange !== undefined) onIndexChange(next);
      else setOwnIndex(next);
    }, 1000 / cineRate);
    return () => window.clearInterval(timer);
  }, [cineRate, frameCount, onIndexChange]);

  function toggleCine(): void {
    if (cineRate === null) setCineRate(lastCineRate);
    else setCineRate(null);
  }

  function removeLastMeasurement(): void {
    setMeasurements((all) => {
      const last = all.findLastIndex((m) => m.frame === indexRef.current);
      return last < 0 ? all : all.filter((_, i) => i !== last);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const actions: Record<string, () => void> = {
      ArrowUp: () => step(-1),
      ArrowDown: () => step(1),
      PageUp: () => step(-10),
      PageDown: () => step(10),
      Home: () => setIndex(0),
      End: () => setIndex(frameCount - 1),
      '+': () => viewport.zoomBy(ZOOM_STEP),
      '-': () => viewport.zoomBy(1 / ZOOM_STEP),
      i: viewport.toggleInvert,
      r: viewport.reset,
      ']': () => viewport.rotateBy(90),
      '[': () => viewport.rotateBy(-90),
      h: viewport.flipHorizontal,
      v: viewport.flipVertical,
      l: () => setTool('length'),
      e: () => setTool('ellipse'),
      w: () => setTool('window'),
      Escape: () => {
        setDraft(null);
        setTool('window');
      },
      Delete: removeLastMeasurement,
      Backspace: removeLastMeasurement,
      c: toggleCine,
    };
    const action = actions[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  }

  const spacing = view.info?.pixelSpacing ?? null;
  const valueUnit = valueUnitFor(scan.modality);
  const pixels = tool === 'ellipse' || measurements.some((m) => m.kind === 'ellipse');
  const frameValues = pixels ? viewport.framePixels() : null;
  const drawn: DrawnMeasurement[] = [...measurements, ...(draft === null ? [] : [draft])]
    .filter((m) => m.frame === index)
    .map((measurement) => ({
      measurement,
      label: measurementLabel(measurement, spacing, frameValues, valueUnit),
    }));
  const id = (name: string): string => `${name}${testIdSuffix}`;

  return (
    <div className="viewer" data-testid={id('viewer')}>
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <div className="preset-group" role="group" aria-label="Window presets">
          {view.presets.map((preset) => (
            <button
              key={preset.id}
              type="button"
              className="button small"
              title={formatWindow(preset)}
              onClick={() => viewport.applyWindow(preset)}
              data-testid={id(`preset-${preset.id}`)}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <div className="tool-group" role="group" aria-label="Left-button tool">
          {(Object.keys(TOOL_LABELS) as PrimaryTool[]).map((option) => (
            <button
              key={option}
              type="button"
              className={`button small${tool === option ? ' primary' : ''}`}
              aria-pressed={tool === option}
              onClick={() => setTool(option)}
              data-testid={id(`tool-${option}`)}
              title={
                option === 'window'
                  ? 'Drag to change window and level (W)'
                  : option === 'length'
                    ? 'Drag to measure a length in mm (L)'
                    : 'Drag an ellipse: area in mm² and mean ± SD (E)'
              }
            >
              {TOOL_LABELS[option]}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <ToolButton
          testId={id('rotate')}
          title="Rotate 90° clockwise (])"
          onClick={() => viewport.rotateBy(90)}
        >
          Rotate ↻
        </ToolButton>
        <ToolButton
          testId={id('flip-horizontal')}
          title="Flip left–right (H)"
          onClick={viewport.flipHorizontal}
          pressed={view.hflip}
        >
          Flip ↔
        </ToolButton>
        <ToolButton
          testId={id('flip-vertical')}
          title="Flip top–bottom (V)"
          onClick={viewport.flipVertical}
          pressed={view.vflip}
        >
          Flip ↕
        </ToolButton>
        <ToolButton
          testId={id('zoom-in')}
          title="Zoom in (+)"
          onClick={() => viewport.zoomBy(ZOOM_STEP)}
        >
          Zoom +
        </ToolButton>
        <ToolButton
          testId={id('zoom-out')}
          title="Zoom out (−)"
          onClick={() => viewport.zoomBy(1 / ZOOM_STEP)}
        >
          Zoom −
        </ToolButton>
        <ToolButton
          testId={id('invert')}
          title="Invert (I)"
          onClick={viewport.toggleInvert}
          pressed={view.invert}
        >
          Invert
        </ToolButton>
        <ToolButton testId={id('reset')} title="Reset (R)" onClick={viewport.reset}>
          Reset
        </ToolButton>
        {measurements.length > 0 && (
          <button
            type="button"
            className="button small"
            onClick={() => setMeasurements([])}
            data-testid={id('clear-measurements')}
            title="Remove all measurements (Delete removes the last one on this slice)"
          >
            Clear measurements
          </button>
        )}
      </div>
      <div
        ref={element}
        className={`viewport tool-${tool}`}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label={`Image viewport: ${tool === 'window' ? 'drag to change window and level' : `drag to measure (${TOOL_LABELS[tool].toLowerCase()})`}, right-drag to pan, wheel for slices`}
        data-testid={id('viewport')}
        data-state={view.status}
        data-render-count={view.renderCount}
        data-window-center={view.voi?.center}
        data-window-width={view.voi?.width}
        data-invert={view.invert}
        data-scale={view.scale}
        data-rotation={view.rotation}
        data-hflip={view.hflip}
        data-vflip={view.vflip}
        data-index={index}
      >
        <canvas className="cornerstone-canvas" />
        {overlay !== null && view.renderCount > 0 && (
          <LabelOverlayCanvas
            layers={overlay.layers}
            frame={index}
            toCanvas={viewport.imageToCanvas}
            renderCount={view.renderCount}
            testId={id('label-overlay')}
          />
        )}
        {view.renderCount > 0 && (
          <MeasurementLayer
            drawn={drawn}
            toCanvas={viewport.imageToCanvas}
            testId={id('measurements')}
          />
        )}
        {view.renderCount > 0 && <OrientationMarkersView direction={scan.direction} view={view} />}
        {caption !== null && (
          <div className="viewport-overlay top-right" aria-hidden="true">
            <span>{caption}</span>
          </div>
        )}
        <div className="viewport-overlay top-left" aria-hidden="true">
          {frameCount > 1 && (
            <span data-testid={id('viewport-slice')}>
              Slice {index + 1} / {frameCount}
            </span>
          )}
        </div>
        <div className="viewport-overlay bottom-left" aria-hidden="true">
          {view.voi !== null && (
            <span data-testid={id('viewport-window')}>{formatWindow(view.voi)}</span>
          )}
          <span>Zoom {Math.round(view.scale * 100)}%</span>
          {spacing === null && view.renderCount > 0 && (
            <span>No pixel size: measurements in pixels</span>
          )}
        </div>
        {view.status === 'loading' && view.renderCount === 0 && (
          <div className="viewport-message" data-testid={id('viewport-loading')}>
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
        <div className="slice-controls">
          <button
            type="button"
            className={`button small${cineRate !== null ? ' primary' : ''}`}
            aria-pressed={cineRate !== null}
            onClick={toggleCine}
            data-testid={id('cine')}
            title="Play the slices as a movie (C)"
          >
            {cineRate === null ? '▶ Cine' : '❚❚ Stop'}
          </button>
          <label className="cine-rate">
            <span className="visually-hidden">Cine speed</span>
            <select
              value={cineRate ?? lastCineRate}
              onChange={(e) => {
                const rate = Number(e.target.value);
                setLastCineRate(rate);
                if (cineRate !== null) setCineRate(rate);
              }}
              data-testid={id('cine-rate')}
            >
              {CINE_RATES.map((rate) => (
                <option key={rate} value={rate}>
                  {rate} fps
                </option>
              ))}
            </select>
          </label>
          <label className="slice-slider">
            <span className="visually-hidden">Slice</span>
            <input
              type="range"
              min={0}
              max={frameCount - 1}
              value={index}
              onChange={(e) => setIndex(Number(e.target.value))}
              data-testid={id('slice-slider')}
            />
          </label>
        </div>
      )}
    </div>
  );
}
