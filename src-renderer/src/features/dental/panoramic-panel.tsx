import { useEffect, useMemo, useRef, useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import {
  splineThrough,
  type ArchFinding,
  type ArchPoint,
  type CbctVolume,
  type PanoramicImage,
  type PanoramicMode,
} from '../../../../src-shared/dental/panoramic.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { useMprVolume } from '../viewer/mpr/use-mpr-volume.js';
import { DENTAL_CBCT_PRESETS, type VoiWindow } from '../viewer/window-level.js';
import type { PanoramicReply, PanoramicRequest } from './panoramic-protocol.js';

const POINT_RADIUS = 5;

/** Grey pixels of modality values through a window, as RGBA. */
function windowed(values: Float32Array, window: VoiWindow): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(values.length * 4);
  const low = window.center - window.width / 2;
  for (let p = 0; p < values.length; p++) {
    const grey = (((values[p] as number) - low) / window.width) * 255;
    rgba[p * 4] = grey;
    rgba[p * 4 + 1] = grey;
    rgba[p * 4 + 2] = grey;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** Draws a picture of width × height pixels, scaled to the canvas's own size. */
function drawPicture(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const context = canvas.getContext('2d');
  if (context === null) return null;
  const source = document.createElement('canvas');
  source.width = width;
  source.height = height;
  source.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context;
}

/** The CBCT's voxels as the panoramic maths reads them. */
function cbctVolumeOf(
  scan: Scan,
  volume: { dims: readonly [number, number, number]; data: ArrayLike<number> } & {
    rescaleSlope: number;
    rescaleIntercept: number;
  },
): CbctVolume {
  const spacing = scan.spacing ?? [1, 1, 1];
  return {
    dims: volume.dims,
    spacing: [spacing[0], spacing[1], spacing[2] ?? spacing[0]],
    data: volume.data,
    rescaleSlope: volume.rescaleSlope,
    rescaleIntercept: volume.rescaleIntercept,
  };
}

/**
 * The panoramic view of a CBCT (docs/dental.md): the arch found from the teeth's density on an
 * axial slab, drawn as control points over that slab's MIP (drag them to correct it), and the
 * curved planar reformation along it with an adjustable slab (MIP or average across it).
 */
export function PanoramicPanel({ scan }: { scan: Scan }) {
  const frameCount = scan.dims?.[2] ?? scan.slices;
  const { state, cancel } = useMprVolume(scan.id, frameCount);
  const volume = useMemo(
    () => (state.status === 'ready' ? cbctVolumeOf(scan, state.volume) : null),
    [scan, state],
  );
  const [found, setFound] = useState<{
    arch: ArchFinding | null;
    slabMip: Float32Array | null;
  } | null>(null);
  const arch = found?.arch ?? null;
  const slabMip = found?.slabMip ?? null;
  const [panoramic, setPanoramic] = useState<PanoramicImage | null>(null);
  const [workerError, setWorkerError] = useState<string | null>(null);
  const [points, setPoints] = useState<ArchPoint[]>([]);
  const [thickness, setThickness] = useState(10);
  const [mode, setMode] = useState<PanoramicMode>('mip');
  const [presetId, setPresetId] = useState(DENTAL_CBCT_PRESETS[0]?.id ?? '');
  const preset = DENTAL_CBCT_PRESETS.find((p) => p.id === presetId) ?? DENTAL_CBCT_PRESETS[0];
  const window: VoiWindow = preset ?? { center: 800, width: 3000 };
  useEffect(() => setPoints(arch?.points ?? []), [arch]);

  // The worker holds a copy of the volume; requests are coalesced: while one image is being
  // computed, only the latest wanted one waits (a drag sends many).
  const worker = useRef<Worker | null>(null);
  const inFlight = useRef(false);
  const wanted = useRef<Omit<Extract<PanoramicRequest, { kind: 'image' }>, 'kind'> | null>(null);
  const nextId = useRef(0);
  const sendWanted = (): void => {
    const request = wanted.current;
    if (request === null || inFlight.current || worker.current === null) return;
    wanted.current = null;
    inFlight.current = true;
    worker.current.postMessage({ kind: 'image', ...request } satisfies PanoramicRequest);
  };
  useEffect(() => {
    if (volume === null) return;
    const started = new Worker(new URL('./panoramic.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.current = started;
    inFlight.current = false;
    started.onmessage = (event: MessageEvent<PanoramicReply>) => {
      const reply = event.data;
      if (reply.kind === 'arch') setFound({ arch: reply.arch, slabMip: reply.slabMip });
      else if (reply.kind === 'image') {
        inFlight.current = false;
        setPanoramic(reply.image);
        sendWanted();
      } else {
        inFlight.current = false;
        setWorkerError(reply.message);
      }
    };
    started.onerror = (event) => setWorkerError(event.message || 'The panoramic worker failed.');
    started.postMessage({ kind: 'volume', volume } satisfies PanoramicRequest);
    return () => {
      started.terminate();
      worker.current = null;
    };
    // sendWanted reads refs only.
  }, [volume]);
  useEffect(() => {
    if (found === null || points.length < 2) return;
    wanted.current = { id: ++nextId.current, points, thicknessMm: thickness, mode };
    sendWanted();
    // sendWanted reads refs only.
  }, [found, points, thickness, mode]);
  // Superior at the top: a slice axis pointing to the head (LPS +z) puts the last slice first.
  const isSuperiorLast = (scan.direction?.[2][2] ?? 1) > 0;

  const archCanvas = useRef<HTMLCanvasElement>(null);
  const panoramicCanvas = useRef<HTMLCanvasElement>(null);
  const [archRenders, setArchRenders] = useState(0);
  const [panoramicRenders, setPanoramicRenders] = useState(0);
  const dragging = useRef<number | null>(null);

  useEffect(() => {
    const canvas = archCanvas.current;
    if (canvas === null || volume === null || slabMip === null) return;
    const [nx, ny] = volume.dims;
    canvas.width = nx * 2;
    canvas.height = Math.round(ny * 2 * (volume.spacing[1] / volume.spacing[0]));
    const context = drawPicture(canvas, windowed(slabMip, window), nx, ny);
    if (context === null) return;
    const sx = canvas.width / nx;
    const sy = canvas.height / ny;
    context.strokeStyle = '#f5c542';
    context.lineWidth = 2;
    context.beginPath();
    splineThrough(points).forEach((p, n) =>
      n === 0 ? context.moveTo(p.x * sx, p.y * sy) : context.lineTo(p.x * sx, p.y * sy),
    );
    context.stroke();
    context.fillStyle = '#2f80ed';
    for (const p of points) {
      context.beginPath();
      context.arc(p.x * sx, p.y * sy, POINT_RADIUS, 0, Math.PI * 2);
      context.fill();
    }
    setArchRenders((n) => n + 1);
  }, [volume, slabMip, points, window]);

  useEffect(() => {
    const canvas = panoramicCanvas.current;
    if (canvas === null || panoramic === null) return;
    const { width, height, data, pixelSpacing } = panoramic;
    const rows = new Float32Array(data.length);
    for (let r = 0; r < height; r++) {
      const from = isSuperiorLast ? height - 1 - r : r;
      rows.set(data.subarray(from * width, (from + 1) * width), r * width);
    }
    canvas.width = width;
    canvas.height = Math.max(1, Math.round(height * (pixelSpacing[1] / pixelSpacing[0])));
    drawPicture(canvas, windowed(rows, window), width, height);
    setPanoramicRenders((n) => n + 1);
  }, [panoramic, window, isSuperiorLast]);

  function imagePoint(event: React.PointerEvent<HTMLCanvasElement>): ArchPoint | null {
    if (volume === null) return null;
    const box = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * volume.dims[0],
      y: ((event.clientY - box.top) / box.height) * volume.dims[1],
    };
  }

  if (state.status === 'loading')
    return (
      <div className="dental-panoramic" data-testid="dental-panoramic-loading">
        <span>
          Reading the CBCT: {state.loaded} of {state.total} slices
        </span>
        <ProgressBar
          progress={state.total === 0 ? 0 : state.loaded / state.total}
          status="processing"
          label="Reading the CBCT"
        />
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    );
  if (state.status === 'cancelled')
    return <p className="muted">Reading the CBCT was cancelled. Reopen the case to try again.</p>;
  if (state.status === 'failed') return <ErrorMessage message={state.error} />;
  if (workerError !== null) return <ErrorMessage message={workerError} />;
  if (found === null)
    return (
      <p className="muted" data-testid="dental-arch-finding">
        Finding the dental arch…
      </p>
    );

  return (
    <div className="dental-panoramic" data-testid="dental-panoramic">
      <div className="dental-panoramic-controls">
        <label className="inline-field">
          <span>Slab thickness</span>
          <input
            type="range"
            min={1}
            max={40}
            value={thickness}
            onChange={(e) => setThickness(Number(e.target.value))}
            data-testid="dental-panoramic-thickness"
          />
          <span>{thickness} mm</span>
        </label>
        <label className="inline-field">
          <span>Across the slab</span>
          <select
            value={mode}
            onChange={(e) => setMode(e.target.value as PanoramicMode)}
            data-testid="dental-panoramic-mode"
          >
            <option value="mip">MIP (maximum)</option>
            <option value="average">Average</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Window</span>
          <select
            value={presetId}
            onChange={(e) => setPresetId(e.target.value)}
            data-testid="dental-panoramic-window"
          >
            {DENTAL_CBCT_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label} (C {p.center}, W {p.width})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => setPoints(arch?.points ?? [])}
          disabled={arch === null}
          data-testid="dental-arch-reset"
        >
          Find the arch again
        </button>
      </div>
      {arch === null ? (
        <p className="muted" data-testid="dental-arch-missing">
          No teeth were found: nothing in this CBCT reaches tooth density (1,200 HU). The panoramic
          view needs the arch.
        </p>
      ) : (
        <div className="dental-panoramic-views">
          <figure>
            <canvas
              ref={archCanvas}
              className="dental-arch-canvas"
              data-testid="dental-arch-canvas"
              data-render-count={archRenders}
              data-points={JSON.stringify(points.map((p) => [Math.round(p.x), Math.round(p.y)]))}
              onPointerDown={(event) => {
                const at = imagePoint(event);
                if (at === null || volume === null) return;
                const perPixel = volume.dims[0] / event.currentTarget.getBoundingClientRect().width;
                const near = points.findIndex(
                  (p) => Math.hypot(p.x - at.x, p.y - at.y) <= (POINT_RADIUS + 3) * perPixel,
                );
                if (near < 0) return;
                dragging.current = near;
                event.currentTarget.setPointerCapture(event.pointerId);
              }}
              onPointerMove={(event) => {
                const index = dragging.current;
                const at = imagePoint(event);
                if (index === null || at === null) return;
                setPoints((all) => all.map((p, n) => (n === index ? at : p)));
              }}
              onPointerUp={() => {
                dragging.current = null;
              }}
            />
            <figcaption className="muted">
              Axial MIP of slices {arch.slab.from + 1}–{arch.slab.to + 1}: drag a point to correct
              the arch.
            </figcaption>
          </figure>
          <figure className="dental-panoramic-figure">
            <canvas
              ref={panoramicCanvas}
              className="dental-panoramic-canvas"
              data-testid="dental-panoramic-canvas"
              data-render-count={panoramicRenders}
              data-width={panoramic?.width ?? 0}
              data-height={panoramic?.height ?? 0}
            />
            <figcaption className="muted">
              Panoramic view along the arch (
              {panoramic === null ? 0 : Math.round(panoramic.width * panoramic.pixelSpacing[0])} mm
              × {panoramic === null ? 0 : Math.round(panoramic.height * panoramic.pixelSpacing[1])}{' '}
              mm), {mode === 'mip' ? 'MIP' : 'average'} over {thickness} mm; the patient&apos;s
              right on the left.
            </figcaption>
          </figure>
        </div>
      )}
    </div>
  );
}
