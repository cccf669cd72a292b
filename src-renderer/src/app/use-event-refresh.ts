import { useEffect } from 'react';
import type { EventName } from '../../../src-shared/contract/events.js';
import { useApi } from '../api/api-context.js';

/**
 * Calls `refresh` after any of the given events, at most once per `delayMs`: an import emits an
 * event per batch, and a list should reload once per burst, not once per batch. Also after a
 * resync, when events may have been missed while the event stream was down.
 */
export function useEventRefresh(
  names: readonly EventName[],
  refresh: () => void,
  delayMs = 400,
): void {
  const api = useApi();
  const key = names.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = (): void => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, delayMs);
    };
    const stops = key.split(',').map((name) => api.on(name as EventName, schedule));
    stops.push(api.onResync(schedule));
    return () => {
      stops.forEach((stop) => stop());
      if (timer !== null) clearTimeout(timer);
    };
  }, [api, key, refresh, delayMs]);
}
