import { useState } from 'react';
import {
  brainTumourFindings,
  type Analysis,
  type AnalysisImageKind,
} from '../../../../src-shared/contract/analysis.js';
import { ErrorMessage } from '../../ui/error-message.js';
import {
  activationCaption,
  availableImageKinds,
  calibratedPercentText,
  percentText,
  probabilityRows,
  showsProbabilities,
} from './analysis-images-logic.js';
import { useAnalysisImage } from './use-analysis-image.js';

const KIND_LABEL: Record<AnalysisImageKind, string> = {
  overlay: 'Overlay',
  heatmap: 'Heatmap',
};

/** The classifier's class activation map (over the slice or alone) and its probabilities. */
export function AnalysisImages({ analysis }: { analysis: Analysis }) {
  const kinds = availableImageKinds(analysis.outputs);
  const [chosen, setChosen] = useState<AnalysisImageKind | null>(null);
  // The choice survives a new analysis only if that analysis stored the same picture.
  const kind = chosen !== null && kinds.includes(chosen) ? chosen : (kinds[0] ?? null);
  const image = useAnalysisImage(analysis.scanId, analysis.id, kind);
  if (kind === null) return null;
  const findings = brainTumourFindings(analysis);
  const classification = findings?.classification ?? null;
  const tumourType = findings?.tumourType;
  const chest = analysis.findings.kind === 'chest-xray' ? analysis.findings : null;
  const caption =
    chest !== null
      ? `Class activation map of the radiograph — ${chest.statement}`
      : classification === null
        ? 'Class activation map'
        : activationCaption(classification, tumourType);

  return (
    <div className="analysis-images" data-testid="analysis-images">
      {kinds.length > 1 && (
        <div className="analysis-image-toggle" role="group" aria-label="Analysis picture">
          {kinds.map((option) => (
            <button
              key={option}
              type="button"
              className={`button small${option === kind ? ' primary' : ''}`}
              aria-pressed={option === kind}
              onClick={() => setChosen(option)}
              data-testid={`analysis-image-${option}`}
            >
              {KIND_LABEL[option]}
            </button>
          ))}
        </div>
      )}
      <figure className="analysis-figure">
        {image.url !== null && (
          <img
            src={image.url}
            alt={`${KIND_LABEL[kind]}: ${caption}`}
            data-testid="analysis-overlay"
          />
        )}
        <figcaption className="muted small-note">{caption}</figcaption>
      </figure>
      <ErrorMessage message={image.error} />
      {classification !== null && showsProbabilities(tumourType) && (
        <ProbabilityTable rows={probabilityRows(classification)} />
      )}
      {chest !== null && (
        <ProbabilityTable rows={probabilityRows(chest)} format={calibratedPercentText} />
      )}
    </div>
  );
}

function ProbabilityTable({
  rows,
  format = percentText,
}: {
  rows: Array<{ label: string; probability: number }>;
  format?: (probability: number) => string;
}) {
  return (
    <table className="table probabilities" data-testid="analysis-probabilities">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col" className="numeric">
            Probability
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td>{row.label}</td>
            <td className="numeric">{format(row.probability)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
