import { useEffect, useRef } from 'react';
import type { ImagePoint } from './measurements.js';
import { affineFromPoints, labelSliceRgba, type LabelVolume } from './label-overlay.js';

/**
 * A label mask drawn over the image in colour at the chosen opacity, with the same transform as
 * cornerstone's image (taken from where three image points land), nearest-neighbour so voxel
 * edges stay crisp. Redrawn whenever the image is (`renderCount`).
 */
export function LabelOverlayCanvas({
  volume,
  frame,
  opacity,
  toCanvas,
  renderCount,
  testId,
}: {
  volume: LabelVolume;
  frame: number;
  opacity: number;
  toCanvas: (point: ImagePoint) => ImagePoint | null;
  renderCount: number;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const target = canvas.current;
    const context = target?.getContext('2d');
    if (target === null || context === null || context === undefined) return;
    const host = target.parentElement;
    target.width = host?.clientWidth ?? target.width;
    target.height = host?.clientHeight ?? target.height;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, target.width, target.height);
    const rgba = labelSliceRgba(volume, frame, opacity);
    const origin = toCanvas({ x: 0, y: 0 });
    const unitX = toCanvas({ x: 1, y: 0 });
    const unitY = toCanvas({ x: 0, y: 1 });
    if (rgba === null || origin === null || unitX === null || unitY === null) return;
    const slice = document.createElement('canvas');
    slice.width = volume.columns;
    slice.height = volume.rows;
    slice.getContext('2d')?.putImageData(new ImageData(rgba, volume.columns, volume.rows), 0, 0);
    context.imageSmoothingEnabled = false;
    context.setTransform(...affineFromPoints(origin, unitX, unitY));
    context.drawImage(slice, 0, 0);
  }, [volume, frame, opacity, toCanvas, renderCount]);

  return <canvas ref={canvas} className="label-overlay" aria-hidden="true" data-testid={testId} />;
}
