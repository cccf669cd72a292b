import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createThumbnailSource, type ThumbnailSource } from './thumbnail-source.js';

const THUMBNAILS_AT_ONCE = 3;
const ThumbnailContext = createContext<ThumbnailSource | null>(null);

/** One thumbnail source per logged-in session: pages share the decode queue and the pictures. */
export function ThumbnailProvider({ children }: { children: ReactNode }) {
  const source = useMemo(() => createThumbnailSource(THUMBNAILS_AT_ONCE), []);
  return <ThumbnailContext.Provider value={source}>{children}</ThumbnailContext.Provider>;
}

export function useThumbnails(): ThumbnailSource {
  const source = useContext(ThumbnailContext);
  if (source === null) throw new Error('useThumbnails() needs a <ThumbnailProvider> above it.');
  return source;
}
