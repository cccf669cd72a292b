import type { Analysis, BrainTumourFindings } from '../../../../src-shared/contract/analysis.js';
import { formatDate } from '../../ui/format.js';
import { splitAnalysisNotes } from './analysis-notes.js';
import { LesionList, type LesionNavigation } from './lesion-list.js';
import { TechnicalDetails } from './technical-details.js';

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** "20.3 mL" (total of every lesion), or null without volumes. */
function totalVolume(findings: BrainTumourFindings): string | null {
  const mm3 = findings.summary.totalVolume_mm3;
  return mm3 === null ? null : `${Number((mm3 / 1000).toPrecision(3))} mL`;
}

function BrainTumourVerdict({ findings }: { findings: BrainTumourFindings }) {
  const count = findings.detections.length;
  // Several regions: the headline location and size are the largest lesion's, and say so;
  // each region has its own row in the lesion list below.
  const isSeveral = count > 1;
  const total = totalVolume(findings);
  return (
    <>
      <p
        className={`verdict ${findings.tumourDetected ? 'positive' : 'negative'}`}
        data-testid="analysis-verdict"
      >
        {findings.tumourDetected
          ? `Tumour suspected (${count === 1 ? '1 region' : `${count} regions`})`
          : 'No tumour found'}
      </p>
      <dl className="facts small">
        {isSeveral && (
          <>
            <dt>Lesions</dt>
            <dd data-testid="analysis-lesion-total">
              {count} regions{total === null ? '' : `, ${total} in all`}: each is listed below
            </dd>
          </>
        )}
        {findings.location !== null && (
          <>
            <dt>{isSeveral ? 'Largest at' : 'Location'}</dt>
            <dd>{findings.location}</dd>
          </>
        )}
        {findings.size !== null && (
          <>
            <dt>{isSeveral ? 'Largest size' : 'Size'}</dt>
            <dd>{findings.size}</dd>
          </>
        )}
        {findings.tumourType !== undefined ? (
          <>
            <dt>Type (classifier)</dt>
            <dd data-testid="analysis-tumour-type">{findings.tumourType.statement}</dd>
            {findings.tumourType.disagreement !== null && (
              <>
                <dt>Models disagree</dt>
                <dd>{findings.tumourType.disagreement}</dd>
              </>
            )}
          </>
        ) : (
          // Results stored before the type was read against the segmentation: the raw answer.
          findings.classification !== null && (
            <>
              <dt>Type (classifier)</dt>
              <dd>
                {findings.classification.label} ({percent(findings.classification.confidence)})
              </dd>
            </>
          )
        )}
        <dt>Confidence</dt>
        <dd>{percent(findings.overallConfidence)}</dd>
      </dl>
    </>
  );
}

/** The findings by kind; a refused input shows "not applicable", never a finding. */
function Findings({ analysis }: { analysis: Analysis }) {
  const { findings } = analysis;
  switch (findings.kind) {
    case 'brain-tumour':
      return <BrainTumourVerdict findings={findings} />;
    case 'chest-xray':
      return (
        <>
          <p
            className={`verdict ${findings.label === 'normal' ? 'negative' : 'positive'}`}
            data-testid="analysis-verdict"
          >
            {findings.statement}
          </p>
          {findings.qualityNotes.map((note) => (
            <p className="small" key={note.code} data-testid="analysis-quality-note">
              {note.message}
            </p>
          ))}
        </>
      );
    case 'not-applicable':
      return (
        <>
          <p className="verdict not-applicable" data-testid="analysis-verdict">
            Not applicable
          </p>
          <p className="small" data-testid="analysis-not-applicable">
            {findings.reason}
          </p>
        </>
      );
    default: {
      const unknown: never = findings;
      return unknown;
    }
  }
}

/**
 * The headline of the latest analysis, each lesion with "Go to" when the viewer can show it, and
 * the technical notes folded away; decision support, not a diagnosis.
 */
export function AnalysisSummary({
  analysis,
  lesionNavigation = null,
}: {
  analysis: Analysis;
  lesionNavigation?: LesionNavigation | null;
}) {
  const notes = splitAnalysisNotes(analysis);
  const models = [analysis.models.segmentation, analysis.models.classification]
    .filter((model) => model !== null)
    .map((model) => `${model.id} ${model.version}`)
    .join(', ');
  return (
    <div className="analysis-summary" data-testid="analysis-summary">
      {analysis.warnings.length > 0 && (
        <ul className="warnings" data-testid="analysis-warnings">
          {analysis.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <Findings analysis={analysis} />
      {analysis.findings.kind === 'brain-tumour' && (
        <LesionList findings={analysis.findings} navigation={lesionNavigation} />
      )}
      <dl className="facts small">
        <dt>Models</dt>
        <dd>{models === '' ? '—' : models}</dd>
        <dt>Analysed</dt>
        <dd>{formatDate(analysis.createdAt)}</dd>
      </dl>
      {analysis.imageQuality !== null && analysis.imageQuality.issues.length > 0 && (
        <ul className="warnings">
          {analysis.imageQuality.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
      {/* The clinical caveats: models that disagree, and that this is decision support for a
          radiologist, not a diagnosis. How it ran (provider fallback) is in the details. */}
      <p className="muted small-note" data-testid="analysis-notes">
        {notes.clinical}
      </p>
      <TechnicalDetails analysis={analysis} notes={notes.technical} />
    </div>
  );
}
