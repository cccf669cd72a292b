import { createTaskQueue, type TaskQueue } from '../../ui/task-queue.js';

/**
 * Where thumbnails come from: a queue that limits how many frames are decoded at once, and the
 * pictures already drawn (small ImageData, ~12 KB each), so a row that is filtered out and back
 * in, or a page visited again, shows its picture at once.
 */
export interface ThumbnailSource {
  readonly queue: TaskQueue;
  readonly drawn: Map<string, ImageData>;
}

const MAX_CACHED = 500;

export function createThumbnailSource(concurrency: number): ThumbnailSource {
  return { queue: createTaskQueue(concurrency), drawn: new Map() };
}

export function rememberThumbnail(source: ThumbnailSource, key: string, picture: ImageData): void {
  source.drawn.delete(key);
  source.drawn.set(key, picture);
  // Oldest first in a Map: drop those beyond the limit.
  for (const oldest of source.drawn.keys()) {
    if (source.drawn.size <= MAX_CACHED) break;
    source.drawn.delete(oldest);
  }
}
