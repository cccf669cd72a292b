import type { Report } from '../../../../src-shared/contract/reports.js';
import { REPORT_TEXT_MAX } from '../../../../src-shared/contract/reports.js';
import type { ReportTexts } from './report-logic.js';

export type SaveState =
  | { readonly kind: 'saved' }
  | { readonly kind: 'unsaved' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'failed'; readonly message: string };

function saveStateText(state: SaveState, savedAt: string): string {
  switch (state.kind) {
    case 'saved':
      return `All changes saved (${savedAt})`;
    case 'unsaved':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'failed':
      return `Not saved: ${state.message}`;
  }
}

/**
 * The radiologist's findings and impression. Editable only in a draft the user may write; a
 * signed version is shown as the text it was signed with, read-only, with the reason.
 */
export function ReportEditor(props: {
  report: Report;
  texts: ReportTexts;
  onChange: (texts: ReportTexts) => void;
  onSave: () => void;
  saveState: SaveState;
  savedAt: string;
  /** Why the texts cannot be edited; null when they can. */
  readOnlyReason: string | null;
}) {
  const { texts, readOnlyReason } = props;
  const readOnly = readOnlyReason !== null;
  return (
    <section className="panel report-editor" aria-labelledby="report-texts-title">
      <div className="panel-header">
        <h3 id="report-texts-title">Findings and impression</h3>
        <span className="spacer" />
        {!readOnly && (
          <>
            <span
              className={`save-state save-${props.saveState.kind}`}
              role="status"
              data-testid="report-save-state"
              data-state={props.saveState.kind}
            >
              {saveStateText(props.saveState, props.savedAt)}
            </span>
            <button
              type="button"
              className="button small"
              disabled={props.saveState.kind === 'saved' || props.saveState.kind === 'saving'}
              onClick={props.onSave}
              data-testid="report-save"
            >
              Save
            </button>
          </>
        )}
      </div>
      {readOnly && (
        <p className="read-only-note" data-testid="report-read-only">
          {readOnlyReason}
        </p>
      )}
      <label className="field">
        <span>Findings</span>
        <textarea
          className="report-text findings"
          value={texts.findings}
          readOnly={readOnly}
          maxLength={REPORT_TEXT_MAX}
          onChange={(e) => props.onChange({ ...texts, findings: e.target.value })}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 's') {
              e.preventDefault();
              if (!readOnly) props.onSave();
            }
          }}
          data-testid="report-findings"
        />
      </label>
      <label className="field">
        <span>Impression (required to sign)</span>
        <textarea
          className="report-text impression"
          value={texts.impression}
          readOnly={readOnly}
          maxLength={REPORT_TEXT_MAX}
          placeholder={readOnly ? '' : 'The conclusion the referring physician reads first'}
          onChange={(e) => props.onChange({ ...texts, impression: e.target.value })}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 's') {
              e.preventDefault();
              if (!readOnly) props.onSave();
            }
          }}
          data-testid="report-impression"
        />
      </label>
    </section>
  );
}
