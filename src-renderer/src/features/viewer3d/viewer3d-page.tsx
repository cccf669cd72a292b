import { useEffect, useMemo, useState } from 'react';
import type { MeshQuality } from '../../../../src-shared/mesh/mask-surface.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { NamedSelect } from '../../ui/named-select.js';
import { CAMERA_PRESET_NAMES, CAMERA_PRESETS, type CameraPreset } from './camera-presets.js';
import {
  COLOUR_SCHEME_NAMES,
  COLOUR_SCHEMES,
  headColour,
  lesionColour,
  MESH_COLOURS,
  type ColourScheme,
} from './colour-schemes.js';
import type { ClipAxis, TumourScene } from './scene.js';
import { markPhase } from './phase-marks.js';
import { SceneView } from './scene-view.js';
import { HtmlScenePanel } from './html-scene-panel.js';
import { MESH_QUALITY_NAMES, MeshQualitySelect } from './mesh-quality-select.js';
import {
  scanGeometry,
  useAttachedMeshes,
  useHeadSurface,
  useLesionMeshes,
  type Loadable,
} from './use-scene-data.js';

const CLIP_NAMES: Readonly<Record<ClipAxis, string>> = {
  none: 'No cut',
  axial: 'Axial cut',
  coronal: 'Coronal cut',
  sagittal: 'Sagittal cut',
};

function statusText<T>(what: string, loadable: Loadable<T>): string | null {
  if (loadable.state === 'loading') return loadable.what;
  if (loadable.state === 'failed') return `${what}: ${loadable.error}`;
  return null;
}

/**
 * The 3D view of a scan (#/scans/<id>/3d): its lesions as surfaces from the analysis's mask (or
 * an imported label map), the head surface from the scan, attached STL meshes, with the seed's
 * options (quality, highlightTumor, colorScheme), a cut, standard views and a distance in mm.
 */
export function Viewer3DPage({ scanId }: { scanId: string }) {
  const api = useApi();
  useEffect(() => markPhase('page-mounted'), []);
  const detail = useAsync(() => api.call('scans.get', { id: scanId }), [api, scanId]);
  const analysis = useAsync(
    () => api.call('analysis.get', { scanId }).catch(() => null),
    [api, scanId],
  );
  const [scene, setScene] = useState<TumourScene | null>(null);
  const [quality, setQuality] = useState<MeshQuality>('medium');
  const [scheme, setScheme] = useState<ColourScheme>('standard');
  const [highlight, setHighlight] = useState(true);
  const [showHead, setShowHead] = useState(true);
  const [chosenSource, setChosenSource] = useState<string | null>(null);
  const [clip, setClip] = useState<{ axis: ClipAxis; at: number; lesions: boolean }>({
    axis: 'none',
    at: 0.5,
    lesions: false,
  });
  const [isSpinning, setIsSpinning] = useState(false);
  const [fps, setFps] = useState<number | null>(null);
  const [isMeasuring, setIsMeasuring] = useState(false);
  const [distance, setDistance] = useState<{ points: number; mm: number | null }>({
    points: 0,
    mm: null,
  });
  const [meshStyle, setMeshStyle] = useState<Record<string, { colour: string; visible: boolean }>>(
    {},
  );

  const scan = detail.data?.scan ?? null;
  const geometry = useMemo(() => (scan === null ? null : scanGeometry(scan)), [scan]);
  const hasAnalysisMask = analysis.data?.outputs.hasMask === true;
  const sources = useMemo(
    () => [
      ...(hasAnalysisMask ? [{ id: 'analysis', name: 'AI analysis mask' }] : []),
      ...(detail.data?.segmentations ?? []).map((s) => ({
        id: s.id,
        name: `Label map: ${s.source}`,
      })),
    ],
    [hasAnalysisMask, detail.data?.segmentations],
  );
  const source = chosenSource ?? sources[0]?.id ?? null;
  const lesions = useLesionMeshes(scanId, source, geometry, quality);
  // The head waits for the tumour's first surfaces: reading ~80 frames would otherwise compete
  // with the mask and the worker for the first frame that matters (docs/viewer3d.md).
  const [isHeadDue, setIsHeadDue] = useState(false);
  const lesionsSettled =
    lesions.state === 'ready' || lesions.state === 'failed' || lesions.state === 'off';
  // 'off' also means "not started yet" while the scan and its analysis load: wait for those.
  const isTumourDone =
    detail.data !== undefined &&
    analysis.data !== undefined &&
    (source === null || lesions.state === 'ready' || lesions.state === 'failed');
  useEffect(() => {
    if (isTumourDone) setIsHeadDue(true);
  }, [isTumourDone]);
  const head = useHeadSurface(scan, geometry, quality, showHead && isHeadDue);
  const attachments = detail.data?.attachments;
  const attachedList = useMemo(() => attachments ?? [], [attachments]);
  const attached = useAttachedMeshes(scanId, attachedList);

  const lesionList = lesions.state === 'ready' ? lesions.value : [];
  const colouredLesions = useMemo(
    () => lesionList.map((l, n) => ({ ...l, colour: lesionColour(scheme, n) })),
    [lesionList, scheme],
  );
  const lesionLabels = useMemo(
    () =>
      new Map(
        colouredLesions.map((l, n) => [
          l.id,
          `${n + 1} · ${l.volumeMl.toFixed(1)} mL · ⌀ ${l.maxDiameterMm.toFixed(0)} mm`,
        ]),
      ),
    [colouredLesions],
  );
  const [hasFramed, setHasFramed] = useState(false);

  // Objects into the scene.
  useEffect(() => {
    if (scene === null) return;
    scene.setLesions(
      lesionList.map((l, n) => ({
        id: l.id,
        mesh: { positions: l.positions, indices: l.indices },
        colour: lesionColour(scheme, n),
      })),
      highlight,
    );
    // Only a new set of lesions rebuilds meshes; colours and emphasis restyle below.
  }, [scene, lesionList]);
  useEffect(() => {
    scene?.styleLesions(colouredLesions, highlight);
  }, [scene, colouredLesions, highlight]);
  const headMesh = head.state === 'ready' ? head.value : null;
  useEffect(() => {
    scene?.setHead(headMesh, headColour(scheme), highlight);
    // Colour and emphasis restyle without rebuilding the head.
  }, [scene, headMesh]);
  useEffect(() => {
    scene?.styleHead(headColour(scheme), highlight);
  }, [scene, scheme, highlight]);
  useEffect(() => {
    scene?.setHeadVisible(showHead);
  }, [scene, showHead]);
  useEffect(() => {
    if (scene === null) return;
    attached.forEach((a, n) => {
      const style = meshStyle[a.id] ?? {
        colour: MESH_COLOURS[n % MESH_COLOURS.length]!,
        visible: true,
      };
      scene.setAttached(
        a.id,
        a.mesh.state === 'ready' ? a.mesh.value : null,
        style.colour,
        style.visible,
      );
    });
  }, [scene, attached, meshStyle]);
  useEffect(() => {
    scene?.setClip(clip.axis, clip.at, clip.lesions);
  }, [scene, clip, headMesh, lesionList]);
  // Frame the view once the lesions (the first thing there) have arrived.
  useEffect(() => {
    if (scene === null || hasFramed || !lesionsSettled || detail.data === undefined) return;
    if (source !== null && lesions.state !== 'ready') return;
    scene.view('anterior');
    setHasFramed(true);
  }, [scene, hasFramed, lesionsSettled, lesions.state, source, detail.data]);
  // The head arrives after the tumour and reaches further: frame again, once, to show it all.
  const [hasFramedHead, setHasFramedHead] = useState(false);
  useEffect(() => {
    if (scene === null || headMesh === null || hasFramedHead) return;
    scene.view('anterior');
    setHasFramedHead(true);
  }, [scene, headMesh, hasFramedHead]);
  useEffect(() => {
    scene?.setSpinning(isSpinning);
    if (!isSpinning || scene === null) {
      setFps(null);
      return;
    }
    const timer = window.setInterval(() => setFps(scene.spinFps()), 1000);
    return () => window.clearInterval(timer);
  }, [scene, isSpinning]);

  function view(preset: CameraPreset): void {
    setIsSpinning(false);
    scene?.view(preset);
  }

  function pick(x: number, y: number): void {
    if (scene === null) return;
    const point = scene.pick(x, y);
    if (point === null) return;
    const mm = scene.addMeasurePoint(point);
    setDistance((d) => ({ points: d.points >= 2 ? 1 : d.points + 1, mm }));
  }

  if (detail.error !== null)
    return (
      <EmptyState title="This scan cannot be shown in 3D." testId="viewer3d-missing">
        <ErrorMessage message={detail.error} />
      </EmptyState>
    );
  if (scan !== null && (scan.kind === 'image' || scan.dims === null || scan.dims[2] < 2))
    return (
      <EmptyState title="The 3D view needs a volume." testId="viewer3d-not-volume">
        <p>
          This scan is a single image. Open a DICOM series or a NIfTI volume to see it in 3D.{' '}
          <a href={`#/scans/${scanId}`}>Back to the scan</a>
        </p>
      </EmptyState>
    );

  const statuses = [
    statusText('Tumour surfaces', lesions),
    showHead ? statusText('Head surface', head) : null,
    ...attached.map((a) => statusText(a.name, a.mesh)),
  ].filter((s): s is string => s !== null);
  const renderDone = scene !== null && hasFramed;

  return (
    <section className="viewer3d" data-testid="viewer3d-page" aria-label="3D view">
      <header className="scan-title">
        <a href={`#/scans/${scanId}`} className="button small" data-testid="viewer3d-back">
          ← Scan
        </a>
        <h2>
          3D · {scan?.patientName ?? (scan === null ? 'Loading…' : 'Unknown patient')}
          {scan !== null && (
            <span className="muted"> · {scan.description ?? scan.modality ?? scan.format}</span>
          )}
        </h2>
      </header>
      <div className="viewer3d-layout">
        <div className="viewer3d-main">
          <div className="viewer-options" data-testid="viewer3d-options">
            <label>
              Tumour from{' '}
              <select
                value={source ?? ''}
                onChange={(e) => setChosenSource(e.target.value)}
                disabled={sources.length === 0}
                data-testid="viewer3d-source"
              >
                {sources.length === 0 && <option value="">No mask yet</option>}
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <MeshQualitySelect value={quality} onChange={setQuality} testId="viewer3d-quality" />
            <NamedSelect
              label="Colours"
              value={scheme}
              choices={COLOUR_SCHEMES}
              names={COLOUR_SCHEME_NAMES}
              onChange={setScheme}
              testId="viewer3d-colours"
            />
            <label>
              <input
                type="checkbox"
                checked={highlight}
                onChange={(e) => setHighlight(e.target.checked)}
                data-testid="viewer3d-highlight"
              />{' '}
              Highlight tumour
            </label>
            <label>
              <input
                type="checkbox"
                checked={showHead}
                onChange={(e) => setShowHead(e.target.checked)}
                data-testid="viewer3d-head"
              />{' '}
              Head surface
            </label>
            <label>
              <select
                value={clip.axis}
                onChange={(e) => setClip({ ...clip, axis: e.target.value as ClipAxis })}
                data-testid="viewer3d-clip"
              >
                {(Object.keys(CLIP_NAMES) as ClipAxis[]).map((axis) => (
                  <option key={axis} value={axis}>
                    {CLIP_NAMES[axis]}
                  </option>
                ))}
              </select>
            </label>
            {clip.axis !== 'none' && (
              <>
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.01}
                  value={clip.at}
                  onChange={(e) => setClip({ ...clip, at: Number(e.target.value) })}
                  aria-label="Cut position"
                  data-testid="viewer3d-clip-at"
                />
                <label>
                  <input
                    type="checkbox"
                    checked={clip.lesions}
                    onChange={(e) => setClip({ ...clip, lesions: e.target.checked })}
                  />{' '}
                  Cut the tumour too
                </label>
              </>
            )}
          </div>
          <div className="viewer-options">
            <span className="muted">View</span>
            {CAMERA_PRESETS.map((preset) => (
              <button
                key={preset}
                type="button"
                className="button small"
                onClick={() => view(preset)}
                data-testid={`viewer3d-view-${preset}`}
              >
                {CAMERA_PRESET_NAMES[preset]}
              </button>
            ))}
            <button
              type="button"
              className="button small"
              aria-pressed={isSpinning}
              onClick={() => setIsSpinning(!isSpinning)}
              data-testid="viewer3d-spin"
            >
              {isSpinning ? 'Stop turning' : 'Turn'}
            </button>
            {fps !== null && (
              <span className="muted" data-testid="viewer3d-fps" data-fps={fps.toFixed(1)}>
                {fps.toFixed(0)} frames/s
              </span>
            )}
            <button
              type="button"
              className="button small"
              aria-pressed={isMeasuring}
              onClick={() => setIsMeasuring(!isMeasuring)}
              data-testid="viewer3d-measure"
              title="Click two points on a surface to measure the distance between them"
            >
              {isMeasuring ? 'Measuring: click two points' : 'Measure distance'}
            </button>
            {distance.points > 0 && (
              <button
                type="button"
                className="button small"
                onClick={() => {
                  scene?.clearMeasurement();
                  setDistance({ points: 0, mm: null });
                }}
              >
                Clear distance
              </button>
            )}
          </div>
          {scene === null && detail.data !== undefined && (
            <ErrorMessage message="This browser cannot draw 3D (WebGL is off or unavailable)." />
          )}
          <SceneView
            onScene={setScene}
            lesionLabels={lesionLabels}
            distanceLabel={distance.mm === null ? null : `${distance.mm.toFixed(1)} mm`}
            isMeasuring={isMeasuring}
            onPick={pick}
            renderDone={renderDone}
            headState={showHead ? head.state : 'off'}
          />
          <div className="viewer3d-status" data-testid="viewer3d-status" aria-live="polite">
            {statuses.map((s) => (
              <div key={s}>{s}</div>
            ))}
            {geometry?.notes.map((note) => (
              <div key={note} className="muted">
                {note}
              </div>
            ))}
          </div>
        </div>
        <aside className="side-column">
          <section className="panel">
            <h3>Lesions</h3>
            {source === null && (
              <p className="muted" data-testid="viewer3d-no-mask">
                No tumour mask yet: analyse the scan or add a label map on the scan page.
              </p>
            )}
            {lesions.state === 'ready' && lesions.value.length === 0 && (
              <p className="muted">The mask holds no lesion.</p>
            )}
            <ul className="viewer3d-lesions">
              {colouredLesions.map((l, n) => (
                <li key={l.id} data-testid="viewer3d-lesion">
                  <span className="swatch" style={{ background: l.colour }} /> Lesion {n + 1}:{' '}
                  {l.volumeMl.toFixed(1)} mL, max. diameter {l.maxDiameterMm.toFixed(0)} mm
                </li>
              ))}
            </ul>
            {lesions.state === 'ready' && (
              <p className="muted" data-testid="viewer3d-mesh-time">
                Meshed in {Math.round(lesions.ms)} ms ({MESH_QUALITY_NAMES[quality].toLowerCase()}{' '}
                quality).
              </p>
            )}
            {distance.mm !== null && (
              <p data-testid="viewer3d-distance-value">Distance: {distance.mm.toFixed(1)} mm</p>
            )}
          </section>
          {attached.length > 0 && (
            <section className="panel">
              <h3>Attached meshes</h3>
              <ul className="viewer3d-lesions">
                {attached.map((a, n) => {
                  const style = meshStyle[a.id] ?? {
                    colour: MESH_COLOURS[n % MESH_COLOURS.length]!,
                    visible: true,
                  };
                  return (
                    <li key={a.id} data-testid="viewer3d-attachment">
                      <label>
                        <input
                          type="checkbox"
                          checked={style.visible}
                          onChange={(e) =>
                            setMeshStyle({
                              ...meshStyle,
                              [a.id]: { ...style, visible: e.target.checked },
                            })
                          }
                          data-testid="viewer3d-attachment-visible"
                        />{' '}
                        {a.name}
                      </label>{' '}
                      <input
                        type="color"
                        value={style.colour}
                        aria-label={`Colour of ${a.name}`}
                        onChange={(e) =>
                          setMeshStyle({
                            ...meshStyle,
                            [a.id]: { ...style, colour: e.target.value },
                          })
                        }
                        data-testid="viewer3d-attachment-colour"
                      />
                      {a.mesh.state === 'ready' && (
                        <span className="muted"> {a.mesh.value.indices.length / 3} triangles</span>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          <HtmlScenePanel
            scanId={scanId}
            source={source}
            highlightTumor={highlight}
            colorScheme={scheme}
          />
        </aside>
      </div>
    </section>
  );
}
