import { useEffect, useRef } from 'react';
import type { ImagePoint } from './measurements.js';
import { affineFromPoints, paintedSliceRgba, type PaintedLabels } from './label-overlay.js';

/**
 * Label masks drawn over the image in their colours (the AI mask and an expert segmentation
 * together, the last layer on top), with the same transform as cornerstone's image (taken from
 * where three image points land), nearest-neighbour so voxel edges stay crisp. Redrawn whenever
 * the image is (`renderCount`).
 */
export function LabelOverlayCanvas({
  layers,
  frame,
  toCanvas,
  renderCount,
  testId,
}: {
  layers: readonly PaintedLabels[];
  frame: number;
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
    const origin = toCanvas({ x: 0, y: 0 });
    const unitX = toCanvas({ x: 1, y: 0 });
    const unitY = toCanvas({ x: 0, y: 1 });
    if (origin === null || unitX === null || unitY === null) return;
    context.imageSmoothingEnabled = false;
    context.setTransform(...affineFromPoints(origin, unitX, unitY));
    for (const { volume, palette } of layers) {
      const rgba = paintedSliceRgba(volume, frame, palette);
      if (rgba === null) continue;
      const slice = document.createElement('canvas');
      slice.width = volume.columns;
      slice.height = volume.rows;
      slice.getContext('2d')?.putImageData(new ImageData(rgba, volume.columns, volume.rows), 0, 0);
      context.drawImage(slice, 0, 0);
    }
  }, [layers, frame, toCanvas, renderCount]);

  return <canvas ref={canvas} className="label-overlay" aria-hidden="true" data-testid={testId} />;
}
