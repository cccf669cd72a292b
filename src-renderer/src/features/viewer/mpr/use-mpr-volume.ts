import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { errorMessage } from '../../../api/client.js';
import { createVolumeAssembler, type MprVolume } from './mpr-volume.js';

/** Frame requests at once: enough to keep a local server busy, few enough to stay responsive. */
const CONCURRENT_FRAMES = 6;

export type MprVolumeState =
  | { readonly status: 'loading'; readonly loaded: number; readonly total: number }
  | { readonly status: 'ready'; readonly volume: MprVolume }
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly error: string };

/**
 * Every frame of a scan, fetched through the viewer's `frames.read` stream (the same decoded
 * frames the 2D viewer shows), stacked into one volume, with progress; `cancel` aborts the
 * requests still running.
 */
export function useMprVolume(
  scanId: string,
  frameCount: number,
): { state: MprVolumeState; cancel: () => void } {
  const api = useApi();
  const [state, setState] = useState<MprVolumeState>({
    status: 'loading',
    loaded: 0,
    total: frameCount,
  });
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    abortRef.current = abort;
    setState({ status: 'loading', loaded: 0, total: frameCount });
    const assembler = createVolumeAssembler(frameCount);
    let next = 0;
    let lastShown = 0;
    const worker = async (): Promise<void> => {
      while (next < frameCount && !abort.signal.aborted) {
        const index = next++;
        const { description, data } = await api.stream(
          'frames.read',
          { scanId, index },
          { signal: abort.signal },
        );
        if (abort.signal.aborted) return;
        assembler.add(description, data);
        // Progress about every 2 %, not per frame: each update renders the page.
        if (assembler.added - lastShown >= Math.max(1, frameCount / 50)) {
          lastShown = assembler.added;
          setState({ status: 'loading', loaded: assembler.added, total: frameCount });
        }
      }
    };
    Promise.all(Array.from({ length: Math.min(CONCURRENT_FRAMES, frameCount) }, worker)).then(
      () => {
        if (abort.signal.aborted) return;
        try {
          setState({ status: 'ready', volume: assembler.finish() });
        } catch (failure) {
          setState({ status: 'failed', error: errorMessage(failure) });
        }
      },
      (failure: unknown) => {
        if (abort.signal.aborted) return;
        abort.abort();
        setState({ status: 'failed', error: errorMessage(failure) });
      },
    );
    return () => abort.abort();
  }, [api, scanId, frameCount]);

  return {
    state,
    cancel: () => {
      abortRef.current?.abort();
      setState({ status: 'cancelled' });
    },
  };
}
