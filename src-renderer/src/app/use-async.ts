import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.js';

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly isLoading: boolean;
  /** Runs the loader again (e.g. after an event said the data changed). */
  readonly reload: () => void;
}

/**
 * Loads data whenever `deps` change and on reload(). Answers that arrive after a newer request
 * started are dropped, so a slow search never overwrites the results of a faster later one.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const request = ++latest.current;
    setIsLoading(true);
    loadRef.current().then(
      (value) => {
        if (request !== latest.current) return;
        setData(value);
        setError(null);
        setIsLoading(false);
      },
      (failure: unknown) => {
        if (request !== latest.current) return;
        setError(errorMessage(failure));
        setIsLoading(false);
      },
    );
    // `deps` is the caller's dependency list, spread on purpose; `load` is read from a ref so
    // that an inline loader does not trigger a request on every render.
  }, [generation, ...deps]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, isLoading, reload };
}
