import { useCallback, useEffect, useRef, useState } from 'react';
import type { SavedMeasurement } from '../../../../src-shared/contract/measurements.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import type { ImagePoint, Measurement, MeasurementKind } from './measurements.js';

/** A measurement being saved: shown at once, replaced by the stored one when the core answers. */
export type ShownMeasurement = Measurement &
  Partial<Pick<SavedMeasurement, 'values' | 'author' | 'updatedAt'>>;

/** A scan's saved measurements, and the calls that change them. */
export interface MeasurementStore {
  readonly items: readonly ShownMeasurement[];
  readonly isLoading: boolean;
  /** Why the last load or change failed, in the core's words. */
  readonly error: string | null;
  create(
    kind: MeasurementKind,
    frame: number,
    points: readonly ImagePoint[],
    label?: string,
  ): Promise<ShownMeasurement | null>;
  update(id: string, changes: { points?: readonly ImagePoint[]; label?: string }): void;
  remove(id: string): void;
  clearError(): void;
}

let nextPendingId = 1;
const isPending = (id: string): boolean => id.startsWith('pending-');

/**
 * Measurements saved with the scan (`measurements.*`): loaded when the scan opens, so what was
 * drawn yesterday is listed and drawn again. Changes show at once and are undone, with the
 * core's message, when the core refuses them (e.g. another reader's measurement).
 */
export function useSavedMeasurements(scanId: string, enabled = true): MeasurementStore {
  const api = useApi();
  const [items, setItems] = useState<readonly ShownMeasurement[]>([]);
  const [isLoading, setIsLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const load = useCallback(() => {
    if (!enabled) return;
    const request = ++generation.current;
    setIsLoading(true);
    api.call('measurements.list', { scanId }).then(
      (list) => {
        if (request !== generation.current) return;
        setItems(list);
        setIsLoading(false);
      },
      (failure: unknown) => {
        if (request !== generation.current) return;
        setError(errorMessage(failure));
        setIsLoading(false);
      },
    );
  }, [api, scanId, enabled]);

  useEffect(() => {
    setItems([]);
    setError(null);
    load();
  }, [load]);

  const fail = useCallback(
    (failure: unknown) => {
      setError(errorMessage(failure));
      load();
    },
    [load],
  );

  const create = useCallback(
    async (
      kind: MeasurementKind,
      frame: number,
      points: readonly ImagePoint[],
      label = '',
    ): Promise<ShownMeasurement | null> => {
      const pendingId = `pending-${nextPendingId++}`;
      setItems((all) => [...all, { id: pendingId, kind, frame, points, label }]);
      try {
        const saved = await api.call('measurements.create', {
          scanId,
          frame,
          kind,
          points: points.map(({ x, y }) => ({ x, y })),
          ...(label !== '' && { label }),
        });
        setItems((all) => all.map((m) => (m.id === pendingId ? saved : m)));
        return saved;
      } catch (failure) {
        setItems((all) => all.filter((m) => m.id !== pendingId));
        setError(errorMessage(failure));
        return null;
      }
    },
    [api, scanId],
  );

  const update = useCallback(
    (id: string, changes: { points?: readonly ImagePoint[]; label?: string }) => {
      if (isPending(id)) return;
      setItems((all) => all.map((m) => (m.id === id ? { ...m, ...changes } : m)));
      api
        .call('measurements.update', {
          id,
          ...(changes.points !== undefined && {
            points: changes.points.map(({ x, y }) => ({ x, y })),
          }),
          ...(changes.label !== undefined && { label: changes.label }),
        })
        .then((saved) => setItems((all) => all.map((m) => (m.id === id ? saved : m))), fail);
    },
    [api, fail],
  );

  const remove = useCallback(
    (id: string) => {
      if (isPending(id)) return;
      setItems((all) => all.filter((m) => m.id !== id));
      api.call('measurements.delete', { id }).catch(fail);
    },
    [api, fail],
  );

  return {
    items,
    isLoading,
    error,
    create,
    update,
    remove,
    clearError: useCallback(() => setError(null), []),
  };
}
