import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { LabelOverlayCanvas } from './label-overlay-canvas.js';
import type { LabelOverlay } from './label-overlay.js';
import { HANDLE_RADIUS, MeasurementLayer, type DrawnMeasurement } from './measurement-layer.js';

export type { LabelOverlay } from './label-overlay.js';
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
import { useSavedMeasurements, type MeasurementStore } from './use-saved-measurements.js';
import type { StoredView } from './viewer-state-store.js';
import type { HandleHit, PrimaryTool } from './viewport-pointer.js';
import { formatWindow } from './window-level.js';

const ZOOM_STEP = 1.25;
const CINE_RATES = [5, 10, 15, 20, 30] as const;

const TOOLS: Record<PrimaryTool, { label: string; key: string; title: string }> = {
  window: { label: 'W/L', key: 'w', title: 'Drag to change window and level (W)' },
  length: { label: 'Length', key: 'l', title: 'Drag to measure a length in mm (L)' },
  ellipse: {
    label: 'Ellipse',
    key: 'e',
    title: 'Drag an ellipse: area in mm² and mean ± SD (E)',
  },
  angle: {
    label: 'Angle',
    key: 'a',
    title: 'Drag the first ray from its end to the vertex, then click the other end (A)',
  },
  arrow: {
    label: 'Arrow',
    key: 't',
    title: 'Drag from the text to the finding, then type the text in the list (T)',
  },
};

/**
 * The viewer that answers the keyboard: the one last clicked or focused (two are shown when
 * comparing series), so keys work whatever was clicked last on the page.
 */
let activeViewer: string | null = null;

/** Keys typed into a field belong to the field. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.closest('[role="dialog"]') !== null
  );
}

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
 * The 2D viewer: a cornerstone-core viewport with window/level (drag, or presets on the number
 * keys), zoom, pan, rotate, flips in screen space, invert, reset, saved measurements (length,
 * ellipse, angle, arrow), orientation markers, a label-mask overlay, and slice navigation (wheel,
 * arrows, slider, cine). The slice index may be controlled by the parent (two series side by
 * side scroll together); so may the measurements (the page lists them beside the viewer).
 */
export function Viewer2D({
  scan,
  frameCount,
  index: controlledIndex,
  onIndexChange,
  overlay = null,
  caption = null,
  testIdSuffix = '',
  measurements: givenStore,
  selectedMeasurementId,
  onSelectMeasurement,
  initialView = null,
  onViewChange,
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
  /** The scan's saved measurements, when the page holds them (else the viewer loads its own). */
  measurements?: MeasurementStore;
  selectedMeasurementId?: string | null;
  /** A measurement was picked (click on a handle, or just drawn); `editLabel` for a new arrow. */
  onSelectMeasurement?: (id: string | null, editLabel?: boolean) => void;
  /** The view to open with (restored from the last visit). */
  initialView?: StoredView | null;
  /** The view after each render (to keep it for the next visit). */
  onViewChange?: (view: StoredView) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const viewerId = useId();
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

  const ownStore = useSavedMeasurements(scan.id, givenStore === undefined);
  const store = givenStore ?? ownStore;
  const [ownSelected, setOwnSelected] = useState<string | null>(null);
  const selectedId = selectedMeasurementId !== undefined ? selectedMeasurementId : ownSelected;
  const select = (id: string | null, editLabel = false): void => {
    if (onSelectMeasurement !== undefined) onSelectMeasurement(id, editLabel);
    else setOwnSelected(id);
  };

  const [tool, setTool] = useState<PrimaryTool>('window');
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [draft, setDraft] = useState<Measurement | null>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  /** A saved measurement whose handle is being dragged: its points until the drop. */
  const [editing, setEditing] = useState<{ id: string; points: readonly ImagePoint[] } | null>(
    null,
  );
  const [cineRate, setCineRate] = useState<number | null>(null);
  const [lastCineRate, setLastCineRate] = useState(10);
  const [isPresetMenuOpen, setIsPresetMenuOpen] = useState(false);

  const shown = store.items.filter((m) => m.frame === index);
  const shownRef = useRef(shown);
  shownRef.current = shown;

  const onMeasure = (kind: MeasurementKind, points: readonly ImagePoint[], done: boolean): void => {
    // An angle is finished by a later click: it stays on the slice its first ray was drawn on.
    const frame = draftRef.current?.kind === kind ? draftRef.current.frame : indexRef.current;
    if (!done) {
      setDraft({ id: 'draft', kind, frame, points, label: '' });
      return;
    }
    setDraft(null);
    void store.create(kind, frame, points).then((saved) => {
      if (saved !== null) select(saved.id, kind === 'arrow');
    });
  };

  const handleAt = (canvas: ImagePoint): HandleHit | null => {
    // The selected measurement's handles first: they are drawn on top.
    const candidates = [...shownRef.current].sort(
      (a, b) => Number(b.id === selectedId) - Number(a.id === selectedId),
    );
    for (const m of candidates) {
      if (m.id.startsWith('pending-')) continue;
      for (const [i, point] of m.points.entries()) {
        const at = viewportRef.current?.imageToCanvas(point);
        if (
          at !== null &&
          at !== undefined &&
          Math.hypot(at.x - canvas.x, at.y - canvas.y) <= HANDLE_RADIUS
        )
          return { id: m.id, index: i };
      }
    }
    return null;
  };

  const onHandleMove = (hit: HandleHit, point: ImagePoint, done: boolean): void => {
    const target = shownRef.current.find((m) => m.id === hit.id);
    if (target === undefined) return;
    const points = target.points.map((p, i) => (i === hit.index ? point : p));
    if (done) {
      setEditing(null);
      store.update(hit.id, { points });
    } else {
      setEditing({ id: hit.id, points });
    }
    select(hit.id);
  };

  const viewport = useCornerstoneViewport(
    element,
    scan,
    index,
    {
      frameCount: () => frameCount,
      onSliceStep: step,
      tool: () => toolRef.current,
      onMeasure,
      onMeasureCancel: () => setDraft(null),
      hasDraft: () => draftRef.current !== null,
      handleAt,
      onHandleMove,
    },
    initialView,
  );
  const viewportRef = useRef(viewport);
  viewportRef.current = viewport;
  const { view } = viewport;
  // After the viewport hook: it registers the image loader the prefetch goes through.
  useFramePrefetch(scan.id, index, frameCount);

  const onViewChangeRef = useRef(onViewChange);
  onViewChangeRef.current = onViewChange;
  useEffect(() => {
    if (view.renderCount === 0) return;
    onViewChangeRef.current?.({
      voi: view.voi,
      scale: view.scale,
      translation: view.translation,
      rotation: view.rotation,
      hflip: view.hflip,
      vflip: view.vflip,
      invert: view.invert,
    });
  }, [
    view.renderCount,
    view.voi,
    view.scale,
    view.translation,
    view.rotation,
    view.hflip,
    view.vflip,
    view.invert,
  ]);

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

  /** Delete: the selected measurement, else the last one drawn on this slice. */
  function removeMeasurement(): void {
    const onSlice = shownRef.current;
    const target = onSlice.find((m) => m.id === selectedId) ?? onSlice.at(-1);
    if (target === undefined) return;
    store.remove(target.id);
    if (target.id === selectedId) select(null);
  }

  function applyPresetKey(key: string): boolean {
    const preset = view.presets.find((p) => p.key === key);
    if (preset === undefined) return false;
    viewport.applyWindow(preset);
    return true;
  }

  const onKeyRef = useRef<(event: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (/^[0-9]$/.test(key)) {
      if (applyPresetKey(key)) event.preventDefault();
      return;
    }
    const toolKey = (Object.keys(TOOLS) as PrimaryTool[]).find((t) => TOOLS[t].key === key);
    const actions: Record<string, () => void> = {
      ArrowUp: () => step(-1),
      ArrowDown: () => step(1),
      PageUp: () => step(-10),
      PageDown: () => step(10),
      Home: () => setIndex(0),
      End: () => setIndex(frameCount - 1),
      '+': () => viewport.zoomBy(ZOOM_STEP),
      '=': () => viewport.zoomBy(ZOOM_STEP),
      '-': () => viewport.zoomBy(1 / ZOOM_STEP),
      i: viewport.toggleInvert,
      r: viewport.reset,
      ']': () => viewport.rotateBy(90),
      '[': () => viewport.rotateBy(-90),
      h: viewport.flipHorizontal,
      v: viewport.flipVertical,
      Escape: () => {
        setDraft(null);
        setEditing(null);
        setIsPresetMenuOpen(false);
        select(null);
        setTool('window');
      },
      Delete: removeMeasurement,
      Backspace: removeMeasurement,
      c: toggleCine,
      ...(toolKey !== undefined && { [key]: () => setTool(toolKey) }),
    };
    const action = actions[key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  };

  // Keys are heard at the window, not on the viewport alone: after a click on a toolbar button
  // (or anywhere on the page) the arrows still scroll. Fields keep their keys; of two viewers,
  // the one used last answers.
  useEffect(() => {
    if (activeViewer === null) activeViewer = viewerId;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || activeViewer !== viewerId || isTyping(event.target)) return;
      onKeyRef.current(event);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (activeViewer === viewerId) activeViewer = null;
    };
  }, [viewerId]);
  const activate = (): void => {
    activeViewer = viewerId;
  };

  const spacing = view.info?.pixelSpacing ?? null;
  const valueUnit = valueUnitFor(scan.modality);
  const withDraft = [
    ...shown.map((m) => (editing?.id === m.id ? { ...m, points: editing.points } : m)),
    ...(draft === null || draft.frame !== index ? [] : [draft]),
  ];
  const pixels = withDraft.some((m) => m.kind === 'ellipse');
  const frameValues = pixels ? viewport.framePixels() : null;
  const drawn: DrawnMeasurement[] = withDraft.map((measurement) => ({
    measurement,
    label: measurementLabel(measurement, spacing, frameValues, valueUnit),
  }));
  const id = (name: string): string => `${name}${testIdSuffix}`;
  const keyedPresets = view.presets.filter((p) => p.key !== null);

  return (
    <div
      className="viewer"
      data-testid={id('viewer')}
      onPointerDownCapture={activate}
      onFocusCapture={activate}
    >
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <div className="preset-menu">
          <button
            type="button"
            className="button small"
            aria-haspopup="menu"
            aria-expanded={isPresetMenuOpen}
            onClick={() => setIsPresetMenuOpen((open) => !open)}
            data-testid={id('preset-menu')}
            title={`Window/level presets${keyedPresets.length > 0 ? ` (keys ${keyedPresets.map((p) => p.key).join(', ')})` : ''}`}
          >
            Presets ▾
          </button>
          {isPresetMenuOpen && (
            <ul className="menu" role="menu" aria-label="Window presets">
              {view.presets.map((preset) => (
                <li key={preset.id} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    className="menu-item"
                    title={preset.note === undefined ? undefined : `Window from ${preset.note}`}
                    onClick={() => {
                      viewport.applyWindow(preset);
                      setIsPresetMenuOpen(false);
                    }}
                    data-testid={id(`preset-${preset.id}`)}
                  >
                    <kbd className="menu-key">{preset.key ?? ''}</kbd>
                    <span className="menu-label">{preset.label}</span>
                    <span className="menu-detail">
                      {preset.note === undefined ? formatWindow(preset) : 'percentiles'}
                    </span>
                  </button>
                </li>
              ))}
              {view.presets.some((p) => p.note !== undefined) && (
                <li role="none" className="menu-note">
                  {scan.modality === 'MR'
                    ? "MR windows are percentiles of the head's values sampled across the volume, not fixed numbers."
                    : 'Auto contrast: percentiles of this slice.'}
                </li>
              )}
            </ul>
          )}
        </div>
        <div className="tool-group" role="group" aria-label="Left-button tool">
          {(Object.keys(TOOLS) as PrimaryTool[]).map((option) => (
            <button
              key={option}
              type="button"
              className={`button small${tool === option ? ' primary' : ''}`}
              aria-pressed={tool === option}
              onClick={() => setTool(option)}
              data-testid={id(`tool-${option}`)}
              title={TOOLS[option].title}
            >
              {TOOLS[option].label}
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
          title="Flip left–right on screen (H)"
          onClick={viewport.flipHorizontal}
        >
          Flip ↔
        </ToolButton>
        <ToolButton
          testId={id('flip-vertical')}
          title="Flip top–bottom on screen (V)"
          onClick={viewport.flipVertical}
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
      </div>
      <div
        ref={element}
        className={`viewport tool-${tool}`}
        tabIndex={0}
        aria-label={`Image viewport: ${tool === 'window' ? 'drag to change window and level' : `drag to draw (${TOOLS[tool].label.toLowerCase()})`}, right-drag to pan, wheel for slices`}
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
            selectedId={selectedId}
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
          {store.error !== null && (
            <span className="viewport-error" data-testid={id('measurement-error')}>
              {store.error}
            </span>
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
