import { useState } from 'react';
import type { BrainTumourFindings } from '../../../../src-shared/contract/analysis.js';
import { LESION_CONFIDENCE_MEANING } from '../../../../src-shared/lesions.js';
import { lesionRows, type LesionRow } from './lesion-rows.js';

/** Where "Go to" sends the viewer: the series' frame count and the slice setter. */
export interface LesionNavigation {
  readonly frameCount: number;
  readonly onGoTo: (frame: number) => void;
}

/** "14.6 mL · max. diameter 34.1 mm · confidence 87%" */
function measurements(row: LesionRow): string {
  return [
    row.extent,
    `max. diameter ${row.maxDiameter}`,
    ...(row.confidence === null ? [] : [`confidence ${row.confidence}`]),
  ].join(' · ');
}

/**
 * Each segmented lesion, largest first: approximate location, volume (or area on a single
 * slice), largest diameter and confidence, with "Go to" showing its central slice.
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
  if (rows.length === 0) return null;
  return (
    <div className="lesion-list" data-testid="lesion-list">
      <ul aria-label="Lesions">
        {rows.map((row) => {
          const isSelected = row.detectionId === selectedId;
          return (
            <li
              key={row.detectionId}
              className={isSelected ? 'lesion-row selected' : 'lesion-row'}
              data-testid="lesion-row"
              data-selected={isSelected}
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
                  onClick={() => {
                    setSelectedId(row.detectionId);
                    navigation.onGoTo(row.frame);
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
