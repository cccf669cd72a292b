import type { SegmentationComparison } from '../../../../src-shared/contract/masks-patients.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { comparisonText } from './comparison-text.js';

/**
 * The Dice coefficient and volume difference between the analysis's tumour mask and the expert
 * segmentation shown, computed by the core on the scan's grid (whole tumour).
 */
export function MaskComparison({
  scanId,
  segmentationId,
  analysisId,
}: {
  scanId: string;
  segmentationId: string;
  /** Recomputed when a new analysis is stored. */
  analysisId: string;
}) {
  const api = useApi();
  const result = useAsync<SegmentationComparison>(
    () => api.call('analysis.compareSegmentation', { scanId, segmentationId }),
    [api, scanId, segmentationId, analysisId],
  );
  if (result.error !== null) return <ErrorMessage message={result.error} />;
  if (result.data === undefined)
    return (
      <p className="muted" aria-busy="true">
        Comparing the AI mask with the expert segmentation…
      </p>
    );
  const text = comparisonText(result.data);
  return (
    <div className="mask-comparison" data-testid="mask-comparison">
      <strong data-testid="mask-dice">{text.dice}</strong> · {text.volumes} ·{' '}
      <span data-testid="mask-difference">{text.difference}</span>
      <br />
      <span className="muted small-note">
        AI mask against the expert segmentation. {result.data.region}
      </span>
    </div>
  );
}
