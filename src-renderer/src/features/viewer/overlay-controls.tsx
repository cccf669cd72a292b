import type { Segmentation } from '../../../../src-shared/contract/entities.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { styleKey, styleOf, type LabelStyles, type LegendEntry } from './mask-legend.js';

/** Which masks are drawn over the slices: the analysis's, an imported segmentation, or both. */
export interface MaskChoice {
  readonly showAnalysis: boolean;
  readonly segmentationId: string | null;
  /** Visibility and opacity per label, by styleKey(source, label). */
  readonly styles: LabelStyles;
}

const rgb = (colour: readonly number[]): string => `rgb(${colour.join(', ')})`;

/** One legend line: the label's colour and name, whether it is shown, and its opacity. */
function LegendRow({
  entry,
  styles,
  onStyle,
}: {
  entry: LegendEntry;
  styles: LabelStyles;
  onStyle: (key: string, visible: boolean, opacity: number) => void;
}) {
  const style = styleOf(styles, entry.source, entry.label);
  const key = styleKey(entry.source, entry.label);
  return (
    <li
      className="legend-row"
      data-testid="legend-row"
      data-source={entry.source === 'analysis' ? 'analysis' : 'segmentation'}
      data-label={entry.label}
    >
      <label>
        <input
          type="checkbox"
          checked={style.visible}
          onChange={(e) => onStyle(key, e.target.checked, style.opacity)}
          data-testid="legend-visible"
        />{' '}
        <span className="legend-swatch" style={{ background: rgb(entry.colour) }} aria-hidden />{' '}
        <span data-testid="legend-name">{entry.name}</span>
      </label>
      <input
        type="range"
        min={0}
        max={100}
        value={Math.round(style.opacity * 100)}
        aria-label={`Opacity of ${entry.name}`}
        disabled={!style.visible}
        onChange={(e) => onStyle(key, style.visible, Number(e.target.value) / 100)}
        data-testid="legend-opacity"
      />
      <span className="muted">{Math.round(style.opacity * 100)}%</span>
    </li>
  );
}

/**
 * Chooses the masks drawn over the slices (the analysis's tumour mask and one imported
 * segmentation, together), with a legend naming each label, per-label visibility and opacity,
 * and a jump to the slices that hold labels.
 */
export function OverlayControls({
  hasAnalysisMask,
  segmentations,
  choice,
  onChange,
  legend,
  labelledFrames,
  onJump,
  error,
}: {
  hasAnalysisMask: boolean;
  segmentations: readonly Segmentation[];
  choice: MaskChoice;
  onChange: (choice: MaskChoice) => void;
  /** The legend lines of the masks shown, AI first. */
  legend: readonly LegendEntry[];
  /** Frames holding labels in the shown masks, or null while none is loaded. */
  labelledFrames: readonly number[] | null;
  onJump: (frame: number) => void;
  error: string | null;
}) {
  if (!hasAnalysisMask && segmentations.length === 0) return null;
  const first = labelledFrames?.[0];
  const last = labelledFrames?.[labelledFrames.length - 1];
  const isShowing = choice.showAnalysis || choice.segmentationId !== null;
  const setStyle = (key: string, visible: boolean, opacity: number): void =>
    onChange({ ...choice, styles: { ...choice.styles, [key]: { visible, opacity } } });
  return (
    <div className="overlay-controls" data-testid="overlay-controls">
      <div className="overlay-sources">
        {hasAnalysisMask && (
          <label>
            <input
              type="checkbox"
              checked={choice.showAnalysis}
              onChange={(e) => onChange({ ...choice, showAnalysis: e.target.checked })}
              data-testid="mask-analysis"
            />{' '}
            AI tumour mask
          </label>
        )}
        {segmentations.length > 0 && (
          <label>
            Expert segmentation{' '}
            <select
              value={choice.segmentationId ?? ''}
              onChange={(e) =>
                onChange({
                  ...choice,
                  segmentationId: e.target.value === '' ? null : e.target.value,
                })
              }
              data-testid="mask-segmentation"
            >
              <option value="">none</option>
              {segmentations.map((segmentation) => (
                <option key={segmentation.id} value={segmentation.id}>
                  {segmentation.source} (labels {segmentation.labels.join(', ')})
                </option>
              ))}
            </select>
          </label>
        )}
        {isShowing && labelledFrames !== null && (
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
      </div>
      {legend.length > 0 && (
        <ul className="mask-legend" aria-label="Mask legend" data-testid="mask-legend">
          {legend.map((entry) => (
            <LegendRow
              key={styleKey(entry.source, entry.label)}
              entry={entry}
              styles={choice.styles}
              onStyle={setStyle}
            />
          ))}
        </ul>
      )}
      <ErrorMessage message={error} />
    </div>
  );
}
