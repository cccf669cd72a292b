import { useEffect, useRef, useState } from 'react';
import { markPhase } from './phase-marks.js';
import type { SceneLabels, TumourScene } from './scene.js';
import { TumourScene as Scene } from './scene.js';

/**
 * The canvas host with its DOM overlay (orientation letters, lesion labels, the distance).
 * Creates the scene once; `onScene` hands it to the page, which feeds it objects.
 */
export function SceneView({
  onScene,
  lesionLabels,
  distanceLabel,
  isMeasuring,
  onPick,
  renderDone,
  headState,
}: {
  onScene: (scene: TumourScene | null) => void;
  lesionLabels: ReadonlyMap<number, string>;
  distanceLabel: string | null;
  isMeasuring: boolean;
  onPick: (x: number, y: number) => void;
  renderDone: boolean;
  /** The head surface's state, for tests and the benchmark: off, loading, ready or failed. */
  headState: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [labels, setLabels] = useState<SceneLabels | null>(null);
  const [renderCount, setRenderCount] = useState(0);
  const down = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    let scene: TumourScene;
    try {
      scene = new Scene(element);
    } catch {
      onScene(null);
      return;
    }
    markPhase('scene-created');
    scene.onRender = () => {
      setLabels(scene.labels());
      setRenderCount(scene.renderCount);
    };
    onScene(scene);
    const observer = new ResizeObserver(() => scene.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      onScene(null);
      scene.dispose();
    };
    // The scene lives as long as the page; onScene is the page's setter.
  }, []);

  const isRenderDone = renderDone && renderCount > 0;
  useEffect(() => {
    if (isRenderDone) markPhase('first-frame');
  }, [isRenderDone]);

  return (
    <div
      className={`scene3d${isMeasuring ? ' measuring' : ''}`}
      ref={host}
      data-testid="viewer3d-canvas"
      data-render-done={isRenderDone ? 'true' : 'false'}
      data-render-count={renderCount}
      data-head={headState}
      onPointerDown={(event) => {
        down.current = { x: event.clientX, y: event.clientY };
      }}
      onPointerUp={(event) => {
        const start = down.current;
        down.current = null;
        // A click, not the end of a drag that turned the view.
        if (!isMeasuring || start === null) return;
        if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > 4) return;
        const box = event.currentTarget.getBoundingClientRect();
        onPick(event.clientX - box.left, event.clientY - box.top);
      }}
    >
      {labels?.axes.map(
        ({ letter, at }) =>
          at !== null && (
            <span key={letter} className="scene3d-axis" style={{ left: at.x, top: at.y }}>
              {letter}
            </span>
          ),
      )}
      {labels?.lesions.map(({ id, at }) => {
        const text = lesionLabels.get(id);
        return (
          at !== null &&
          text !== undefined && (
            <span
              key={id}
              className="scene3d-lesion"
              style={{ left: at.x, top: at.y }}
              data-testid="viewer3d-lesion-label"
              data-x={Math.round(at.x)}
              data-y={Math.round(at.y)}
            >
              {text}
            </span>
          )
        );
      })}
      {labels !== null && labels.measurement !== null && distanceLabel !== null && (
        <span
          className="scene3d-distance"
          style={{ left: labels.measurement.x, top: labels.measurement.y }}
          data-testid="viewer3d-distance"
        >
          {distanceLabel}
        </span>
      )}
    </div>
  );
}
