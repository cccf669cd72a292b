import { useEffect, useRef, useState } from 'react';
import type { BrainTumourFindings } from '../../../../src-shared/contract/analysis.js';
import { LESION_CONFIDENCE_MEANING } from '../../../../src-shared/lesions.js';
import { lesionRows, type LesionRow } from './lesion-rows.js';
import { isTypingTarget, nextLesionIndex } from './lesion-keys.js';

/** Where "Go to" sends the viewer: the series' frame count and the slice setter. */
export interface LesionNavigation {
  readonly frameCount: number;
  readonly onGoTo: (frame: number) => void;
}

/** "14.6 mL · 32 × 28 × 25 mm · max. diameter 34.1 mm · confidence 87%" */
function measurements(row: LesionRow): string {
  return [
    row.extent,
    ...(row.dimensions === null ? [] : [row.dimensions]),
    `max. diameter ${row.maxDiameter}`,
    ...(row.confidence === null ? [] : [`confidence ${row.confidence}`]),
  ].join(' · ');
}

/**
 * Each segmented lesion, largest first: approximate location, volume (or area on a single
 * slice), extent, largest diameter and confidence, with "Go to" (or a click on the row) showing
 * its central slice, and N / P stepping to the next and previous lesion.
 */
export function LesionList({
  findings,
  navigation,
}: {
  findings: BrainTumourFindings;
  navigation: LesionNavigation | null;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rows = lesionRows(findings, navigation?.frameCount ?? Number.MAX_SAFE_INTEGER);
  const goTo = (row: LesionRow): void => {
    setSelectedId(row.detectionId);
    navigation?.onGoTo(row.frame);
  };
  // The key handler reads the latest rows and selection without re-subscribing on each render.
  const latest = useRef({ rows, selectedId, goTo });
  latest.current = { rows, selectedId, goTo };
  const canNavigate = navigation !== null && rows.length > 0;

  useEffect(() => {
    if (!canNavigate) return;
    function onKey(event: KeyboardEvent): void {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key !== 'n' && key !== 'p') return;
      const { rows: all, selectedId: current, goTo: go } = latest.current;
      const at = all.findIndex((row) => row.detectionId === current);
      const step = key === 'n' && !event.shiftKey ? 1 : -1;
      const row = all[nextLesionIndex(at, step, all.length)];
      if (row === undefined) return;
      event.preventDefault();
      go(row);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canNavigate]);

  if (rows.length === 0) return null;
  const selectedAt = rows.findIndex((row) => row.detectionId === selectedId);
  return (
    <div className="lesion-list" data-testid="lesion-list">
      {navigation !== null && rows.length > 1 && (
        <div className="lesion-steps">
          <button
            type="button"
            className="button small"
            onClick={() => goTo(rows[nextLesionIndex(selectedAt, -1, rows.length)]!)}
            title="Previous lesion (P)"
            data-testid="lesion-previous"
          >
            ← Previous
          </button>
          <span className="muted" data-testid="lesion-position">
            {selectedAt < 0
              ? `${rows.length} lesions`
              : `Lesion ${selectedAt + 1} of ${rows.length}`}
          </span>
          <button
            type="button"
            className="button small"
            onClick={() => goTo(rows[nextLesionIndex(selectedAt, 1, rows.length)]!)}
            title="Next lesion (N)"
            data-testid="lesion-next"
          >
            Next →
          </button>
        </div>
      )}
      <ul aria-label="Lesions">
        {rows.map((row) => {
          const isSelected = row.detectionId === selectedId;
          return (
            <li
              key={row.detectionId}
              className={isSelected ? 'lesion-row selected' : 'lesion-row'}
              data-testid="lesion-row"
              data-selected={isSelected}
              data-frame={row.frame}
              onClick={navigation === null ? undefined : () => goTo(row)}
            >
              <div className="lesion-text">
                <strong>{row.name}</strong> · {row.location}
                <br />
                <span className="muted">{measurements(row)}</span>
              </div>
              {navigation !== null && (
                <button
                  type="button"
                  className="button small"
                  aria-pressed={isSelected}
                  title={`Show slice ${row.frame + 1}, through the lesion's centre`}
                  onClick={(event) => {
                    event.stopPropagation();
                    goTo(row);
                  }}
                  data-testid="lesion-go-to"
                >
                  Go to
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {rows.some((row) => row.confidence !== null) && (
        <p className="muted small-note" data-testid="lesion-confidence-meaning">
          {LESION_CONFIDENCE_MEANING}
        </p>
      )}
    </div>
  );
}
