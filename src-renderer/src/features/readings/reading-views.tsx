import type {
  ExpertReading,
  FriendlyReading,
  TreatmentSuggestions,
} from '../../../../src-shared/contract/readings.js';
import { calibratedPercentText } from '../viewer/analysis-images-logic.js';

/** A probability in whole percent; never "100%" or "0%": a calibrated model is not certain. */
const percent = calibratedPercentText;

/** The patient's text: fixed sentences from the templates, no figures. */
export function FriendlyView({ friendly }: { friendly: FriendlyReading }) {
  return (
    <div className="friendly-reading" data-testid="friendly-reading">
      <p className="reading-headline" data-testid="friendly-headline">
        {friendly.headline}
      </p>
      <p className="small">What this means:</p>
      <ul className="small">
        {friendly.whatItMeans.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="small">What this does not mean:</p>
      <ul className="small" data-testid="friendly-not-meaning">
        {friendly.whatItDoesNotMean.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {friendly.aboutTheImage.length > 0 && (
        <ul className="small">
          {friendly.aboutTheImage.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <p className="small" data-testid="friendly-next-step">
        <strong>{friendly.nextStep}</strong>
      </p>
    </div>
  );
}

/** The expert's figures: the model's statement, probabilities, threshold, notes, priority. */
export function ExpertView({ expert }: { expert: ExpertReading }) {
  return (
    <div className="expert-reading" data-testid="expert-reading">
      <p className="reading-headline" data-testid="expert-statement">
        {expert.statement}
      </p>
      <dl className="facts small">
        {expert.probabilities !== null && (
          <>
            <dt>p(pneumonia)</dt>
            <dd data-testid="expert-probability">
              {percent(expert.probabilities.pneumonia)}
              {expert.threshold !== null && ` (threshold ${percent(expert.threshold)})`}
            </dd>
          </>
        )}
        <dt>Heatmap</dt>
        <dd>{expert.hasHeatmap ? 'Stored (Overlay / Heatmap in the result panel)' : 'None'}</dd>
        <dt>Notes</dt>
        <dd data-testid="expert-notes">{expert.notes === '' ? '—' : expert.notes}</dd>
        <dt>Model</dt>
        <dd>{expert.model ?? expert.pipeline}</dd>
      </dl>
      {expert.qualityNotes.map((note) => (
        <p className="small" key={note.code}>
          {note.message}
        </p>
      ))}
      {expert.warnings.length > 0 && (
        <ul className="warnings">
          {expert.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Suggestions from the cited table, always with the disclaimer and the table's version. */
export function SuggestionsBlock({ answer }: { answer: TreatmentSuggestions }) {
  return (
    <div className="suggestions" data-testid="reading-suggestions">
      <p className="small">
        <strong>Treatment suggestions</strong>
      </p>
      {answer.note !== null && <p className="small muted">{answer.note}</p>}
      {answer.suggestions.map((s) => (
        <div key={s.id} className="suggestion" data-testid="suggestion">
          <p className="small">
            <strong>{s.condition}</strong> · model confidence {percent(s.confidence)}
          </p>
          <p className="small">{s.treatment}</p>
          <p className="small">Precautions: {s.precautions}</p>
          <p className="small muted" data-testid="suggestion-source">
            Source: {s.source.title}. {s.source.reference}.
          </p>
        </div>
      ))}
      <p className="small warnings-text" data-testid="suggestions-disclaimer">
        {answer.disclaimer}
      </p>
      <p className="small muted">Suggestions table version {answer.tableVersion}</p>
    </div>
  );
}
