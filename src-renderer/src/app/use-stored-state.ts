import { useEffect, useState } from 'react';

/**
 * State that survives leaving the page and coming back (e.g. the worklist's filters while a scan
 * is open), kept in sessionStorage for this window only. A stored value of another shape (from
 * an older build) is ignored.
 */
export function useStoredState<T extends object>(key: string, initial: T): [T, (next: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = window.sessionStorage.getItem(key);
      if (raw === null) return initial;
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return initial;
      const keys = Object.keys(initial);
      const isSameShape = keys.every(
        (k) =>
          typeof (parsed as Record<string, unknown>)[k] ===
          typeof (initial as Record<string, unknown>)[k],
      );
      return isSameShape ? ({ ...initial, ...(parsed as Partial<T>) } as T) : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Full or disabled storage: the state then lasts as long as the page.
    }
  }, [key, value]);
  return [value, setValue];
}
