import type { Analysis } from '../../../../src-shared/contract/analysis.js';

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * How the result was computed, folded away from the clinical reading: the execution provider,
 * why the GPU was not used, timings and other technical notes.
 */
export function TechnicalDetails({
  analysis,
  notes,
}: {
  analysis: Analysis;
  notes: readonly string[];
}) {
  return (
    <details className="technical-details small" data-testid="analysis-technical">
      <summary>Technical details</summary>
      <dl className="facts small">
        <dt>Ran on</dt>
        <dd>{analysis.provider === null ? 'No model ran' : analysis.provider.toUpperCase()}</dd>
        {analysis.provider !== null && (
          <>
            <dt>Time</dt>
            <dd>{duration(analysis.timings.totalMs)}</dd>
          </>
        )}
      </dl>
      {notes.length > 0 && (
        <ul className="plain-list" data-testid="analysis-technical-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </details>
  );
}
