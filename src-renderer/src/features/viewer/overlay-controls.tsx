import type { Segmentation } from '../../../../src-shared/contract/entities.js';
import { ErrorMessage } from '../../ui/error-message.js';

/** Where a label overlay comes from: the latest analysis's tumour mask or an imported label map. */
export type OverlaySource = 'analysis' | string;

export interface OverlayChoice {
  readonly source: OverlaySource | null;
  readonly opacity: number;
}

/**
 * Chooses the label mask drawn over the slices (none, the analysis's tumour mask, or an imported
 * segmentation), its opacity, and jumps to the slices that hold labels.
 */
export function OverlayControls({
  hasAnalysisMask,
  segmentations,
  choice,
  onChange,
  labelledFrames,
  onJump,
  error,
}: {
  hasAnalysisMask: boolean;
  segmentations: readonly Segmentation[];
  choice: OverlayChoice;
  onChange: (choice: OverlayChoice) => void;
  /** Frames holding labels in the loaded mask, or null while none is loaded. */
  labelledFrames: readonly number[] | null;
  onJump: (frame: number) => void;
  error: string | null;
}) {
  if (!hasAnalysisMask && segmentations.length === 0) return null;
  const first = labelledFrames?.[0];
  const last = labelledFrames?.[labelledFrames.length - 1];
  return (
    <div className="overlay-controls" data-testid="overlay-controls">
      <label>
        Overlay{' '}
        <select
          value={choice.source ?? ''}
          onChange={(e) =>
            onChange({ ...choice, source: e.target.value === '' ? null : e.target.value })
          }
          data-testid="overlay-source"
        >
          <option value="">none</option>
          {hasAnalysisMask && <option value="analysis">Tumour mask (analysis)</option>}
          {segmentations.map((segmentation) => (
            <option key={segmentation.id} value={segmentation.id}>
              {segmentation.source} (labels {segmentation.labels.join(', ')})
            </option>
          ))}
        </select>
      </label>
      <label>
        Opacity{' '}
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(choice.opacity * 100)}
          onChange={(e) => onChange({ ...choice, opacity: Number(e.target.value) / 100 })}
          disabled={choice.source === null}
          data-testid="overlay-opacity"
        />{' '}
        <span className="muted">{Math.round(choice.opacity * 100)}%</span>
      </label>
      {choice.source !== null && labelledFrames !== null && (
        <span data-testid="overlay-extent">
          {first === undefined || last === undefined ? (
            'No labelled slice'
          ) : (
            <>
              Labels on slices {first + 1}–{last + 1}{' '}
              <button
                type="button"
                className="button small"
                onClick={() => onJump(labelledFrames[Math.floor(labelledFrames.length / 2)]!)}
                data-testid="overlay-jump"
              >
                Go to lesion
              </button>
            </>
          )}
        </span>
      )}
      <ErrorMessage message={error} />
    </div>
  );
}
