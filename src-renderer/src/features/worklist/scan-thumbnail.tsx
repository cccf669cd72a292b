import { useEffect, useRef, useState } from 'react';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useThumbnails } from './thumbnail-context.js';
import { rememberThumbnail } from './thumbnail-source.js';
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
  sizeRem = 4,
}: {
  scan: Pick<Scan, 'id' | 'slices' | 'modality' | 'format'>;
  /** In rem, so thumbnails grow with the interface on large screens. */
  sizeRem?: number;
}) {
  const api = useApi();
  const source = useThumbnails();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<ThumbnailState>('waiting');
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
  const pixels = Math.round(sizeRem * rootPx * (window.devicePixelRatio || 1));

  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    const key = `${scan.id}:${element.width}`;
    const cached = source.drawn.get(key);
    if (cached !== undefined) {
      element.getContext('2d')?.putImageData(cached, 0, 0);
      setState('ready');
      return;
    }
    const controller = new AbortController();
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      source.queue
        .run(() => api.frame(scan.id, middleFrameIndex(scan.slices)), controller.signal)
        .then(
          ({ info, data }) => {
            if (controller.signal.aborted) return;
            drawFrameFitted(element, info, data, defaultWindow(info));
            const picture = element
              .getContext('2d')
              ?.getImageData(0, 0, element.width, element.height);
            if (picture !== undefined) rememberThumbnail(source, key, picture);
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
  }, [api, source, scan.id, scan.slices]);

  return (
    <span
      className="thumb"
      style={{ width: `${sizeRem}rem`, height: `${sizeRem}rem` }}
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
