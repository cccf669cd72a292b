import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import { formatDate } from '../../ui/format.js';

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** The headline of the latest analysis; decision support, not a diagnosis. */
export function AnalysisSummary({ analysis }: { analysis: Analysis }) {
  const models = [analysis.models.segmentation, analysis.models.classification]
    .filter((model) => model !== null)
    .map((model) => `${model.id} ${model.version}`)
    .join(', ');
  return (
    <div className="analysis-summary" data-testid="analysis-summary">
      <p
        className={`verdict ${analysis.tumorDetected ? 'positive' : 'negative'}`}
        data-testid="analysis-verdict"
      >
        {analysis.tumorDetected
          ? `Tumour suspected (${analysis.detections.length === 1 ? '1 region' : `${analysis.detections.length} regions`})`
          : 'No tumour found'}
      </p>
      <dl className="facts small">
        {analysis.location !== null && (
          <>
            <dt>Location</dt>
            <dd>{analysis.location}</dd>
          </>
        )}
        {analysis.size !== null && (
          <>
            <dt>Size</dt>
            <dd>{analysis.size}</dd>
          </>
        )}
        {analysis.classification !== null && (
          <>
            <dt>Type (classifier)</dt>
            <dd>
              {analysis.classification.label} ({percent(analysis.classification.confidence)})
            </dd>
          </>
        )}
        <dt>Confidence</dt>
        <dd>{percent(analysis.overallConfidence)}</dd>
        <dt>Models</dt>
        <dd>{models === '' ? '—' : models}</dd>
        <dt>Ran on</dt>
        <dd>
          {analysis.provider.toUpperCase()} · {formatDate(analysis.createdAt)}
        </dd>
      </dl>
      {analysis.imageQuality.issues.length > 0 && (
        <ul className="warnings">
          {analysis.imageQuality.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
      {/* The core's notes carry every caveat: provider fallback, models that disagree, and that
          this is decision support for a radiologist, not a diagnosis. */}
      <p className="muted small-note" data-testid="analysis-notes">
        {analysis.notes}
      </p>
    </div>
  );
}
