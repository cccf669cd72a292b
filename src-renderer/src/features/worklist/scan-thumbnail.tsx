import { useEffect, useRef, useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import type { TaskQueue } from '../../ui/task-queue.js';
import { drawFrameFitted, middleFrameIndex } from '../viewer/draw-frame.js';
import { defaultWindow } from '../viewer/window-level.js';

type ThumbnailState = 'waiting' | 'ready' | 'unavailable';

/**
 * A small picture of the scan's middle slice, decoded by the core and drawn here. It loads once
 * it scrolls into view, through a shared queue that limits how many are decoded at once. The
 * box has a fixed size, so rows do not move when pictures arrive.
 */
export function ScanThumbnail({
  scan,
  queue,
  size = 56,
}: {
  scan: Pick<Scan, 'id' | 'slices' | 'modality' | 'format'>;
  queue: TaskQueue;
  size?: number;
}) {
  const api = useApi();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<ThumbnailState>('waiting');
  const pixels = Math.round(size * (window.devicePixelRatio || 1));

  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    const controller = new AbortController();
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      queue
        .run(() => api.frame(scan.id, middleFrameIndex(scan.slices)), controller.signal)
        .then(
          ({ info, data }) => {
            if (controller.signal.aborted) return;
            drawFrameFitted(element, info, data, defaultWindow(info));
            setState('ready');
          },
          () => {
            if (!controller.signal.aborted) setState('unavailable');
          },
        );
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      controller.abort();
    };
  }, [api, queue, scan.id, scan.slices]);

  return (
    <span
      className="thumb"
      style={{ width: size, height: size }}
      data-testid="scan-thumbnail"
      data-state={state}
    >
      <canvas ref={canvas} width={pixels} height={pixels} aria-hidden="true" />
      {state !== 'ready' && (
        <span className="thumb-label">
          {state === 'waiting' ? '' : (scan.modality ?? scan.format.toUpperCase())}
        </span>
      )}
    </span>
  );
}
