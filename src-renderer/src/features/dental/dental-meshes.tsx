import { useEffect, useState } from 'react';
import type { DentalStl } from '../../../../src-shared/contract/dental.js';
import { parseStl, StlError } from '../../../../src-shared/mesh/stl.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { CAMERA_PRESET_NAMES, CAMERA_PRESETS } from '../viewer3d/camera-presets.js';
import type { MeshData, TumourScene } from '../viewer3d/scene.js';
import { SceneView } from '../viewer3d/scene-view.js';

const JAW_COLOURS = { upper: '#e8d7b0', lower: '#c9a98a' } as const;

type MeshState =
  { state: 'loading' } | { state: 'ready'; mesh: MeshData } | { state: 'failed'; error: string };

/** The case's upper and lower jaw STLs in the 3D view (the viewer3d scene), each toggled. */
export function DentalMeshes({ parts }: { parts: readonly DentalStl[] }) {
  const api = useApi();
  const [scene, setScene] = useState<TumourScene | null>(null);
  const [meshes, setMeshes] = useState<Record<string, MeshState>>({});
  const [visible, setVisible] = useState<Record<string, boolean>>({ upper: true, lower: true });

  useEffect(() => {
    let isCurrent = true;
    for (const part of parts) {
      setMeshes((all) => ({ ...all, [part.role]: { state: 'loading' } }));
      api.stream('dental.file', { fileId: part.fileId }).then(
        ({ data }) => {
          let next: MeshState;
          try {
            next = { state: 'ready', mesh: parseStl(new Uint8Array(data)) };
          } catch (failure) {
            next = {
              state: 'failed',
              error: failure instanceof StlError ? failure.message : errorMessage(failure),
            };
          }
          if (isCurrent) setMeshes((all) => ({ ...all, [part.role]: next }));
        },
        (failure: unknown) => {
          if (isCurrent)
            setMeshes((all) => ({
              ...all,
              [part.role]: { state: 'failed', error: errorMessage(failure) },
            }));
        },
      );
    }
    return () => {
      isCurrent = false;
    };
  }, [api, parts]);

  const readyCount = Object.values(meshes).filter((m) => m.state === 'ready').length;
  const isDone =
    parts.length > 0 && parts.every((p) => meshes[p.role]?.state !== 'loading' && meshes[p.role]);

  useEffect(() => {
    if (scene === null) return;
    for (const part of parts) {
      const m = meshes[part.role];
      if (m?.state === 'ready')
        scene.setAttached(part.role, m.mesh, JAW_COLOURS[part.role], visible[part.role] ?? true);
    }
  }, [scene, meshes, parts, visible]);

  // Framed once every mesh is in.
  useEffect(() => {
    if (scene !== null && isDone && readyCount > 0) scene.view('anterior');
  }, [scene, isDone, readyCount]);

  return (
    <div className="dental-meshes" data-testid="dental-meshes" data-meshes-ready={readyCount}>
      <div className="dental-mesh-controls">
        {parts.map((part) => {
          const m = meshes[part.role];
          return (
            <label key={part.role} className="inline-field">
              <input
                type="checkbox"
                checked={visible[part.role] ?? true}
                onChange={(e) => setVisible((v) => ({ ...v, [part.role]: e.target.checked }))}
                data-testid={`dental-mesh-toggle-${part.role}`}
              />
              <span
                className="swatch"
                style={{ background: JAW_COLOURS[part.role] }}
                aria-hidden="true"
              />
              {part.role === 'upper' ? 'Upper jaw' : 'Lower jaw'} ({part.fileName},{' '}
              {part.triangleCount.toLocaleString('en')} triangles)
              {m?.state === 'loading' && <span className="muted"> reading…</span>}
              {m?.state === 'failed' && <span className="error-text"> {m.error}</span>}
            </label>
          );
        })}
        {CAMERA_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            className="small"
            disabled={scene === null}
            onClick={() => scene?.view(preset)}
          >
            {CAMERA_PRESET_NAMES[preset]}
          </button>
        ))}
      </div>
      <SceneView
        onScene={setScene}
        lesionLabels={new Map()}
        distanceLabel={null}
        isMeasuring={false}
        onPick={() => undefined}
        renderDone={isDone && readyCount > 0}
        headState="off"
      />
      {scene === null && (
        <p className="muted">The 3D view needs WebGL, which this browser does not offer.</p>
      )}
    </div>
  );
}
