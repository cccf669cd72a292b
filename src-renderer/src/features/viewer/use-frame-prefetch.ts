import cornerstone from 'cornerstone-core';
import { useEffect, useRef } from 'react';
import {
  createPrefetchQueue,
  prefetchOrder,
  scrollDirection,
  type PrefetchQueue,
  type ScrollDirection,
} from './frame-prefetch.js';
import { imageIdFor } from './neurosphere-loader.js';

/** Frame requests of the prefetch at once; the browser allows six per server, the viewer needs one. */
const MAX_CONCURRENT_PREFETCHES = 3;

/**
 * Loads the frames next to `index` into cornerstone's image cache while the user scrolls, so the
 * viewer's own `loadAndCacheImage` of the next slice finds it there instead of waiting for the
 * server. Call it after `useCornerstoneViewport` (that registers the image loader).
 */
export function useFramePrefetch(scanId: string, index: number, frameCount: number): void {
  const queue = useRef<PrefetchQueue<number> | null>(null);
  const previous = useRef<number | null>(null);
  const direction = useRef<ScrollDirection>(1);

  useEffect(() => {
    const scanQueue = createPrefetchQueue<number>({
      maxConcurrent: MAX_CONCURRENT_PREFETCHES,
      load: (frame) => {
        const imageId = imageIdFor(scanId, frame);
        return cornerstone.loadAndCacheImage(imageId).catch(() => {
          // Not kept as a failure: the viewer then loads (and reports) the frame itself. The
          // viewer may have removed it already, which cornerstone answers with a throw.
          try {
            cornerstone.imageCache.removeImageLoadObject(imageId);
          } catch {
            // already gone
          }
        });
      },
    });
    queue.current = scanQueue;
    previous.current = null;
    return () => {
      scanQueue.cancel();
      queue.current = null;
    };
  }, [scanId]);

  useEffect(() => {
    direction.current = scrollDirection(previous.current, index, direction.current);
    previous.current = index;
    queue.current?.want(prefetchOrder(index, direction.current, frameCount));
  }, [scanId, index, frameCount]);
}
