import { useState } from 'react';
import {
  DENTAL_CAPTION_MODALITIES,
  type DentalCaption,
} from '../../../../src-shared/contract/dental.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';

type Modality = (typeof DENTAL_CAPTION_MODALITIES)[number];

const MODALITY_LABELS: Readonly<Record<Modality, string>> = {
  case: 'Whole case',
  upper: 'Upper jaw',
  lower: 'Lower jaw',
  cbct: 'CBCT',
};

function CaptionItem({ caption, onSaved }: { caption: DentalCaption; onSaved: () => void }) {
  const api = useApi();
  const mayWrite = useCan('scans.write');
  const [draft, setDraft] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li className="dental-caption" data-testid="dental-caption">
      <div className="dental-caption-head">
        <strong>{MODALITY_LABELS[caption.modality]}</strong>
        <span className="muted">
          {' '}
          {caption.author}, {formatDate(caption.updatedAt)}
          {caption.history.length > 1 && ` (edited, ${caption.history.length} versions)`}
        </span>
      </div>
      {draft === null ? (
        <p className="dental-caption-text" data-testid="dental-caption-text">
          {caption.text}
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            api.call('dental.captions.edit', { id: caption.id, text: draft }).then(
              () => {
                setDraft(null);
                onSaved();
              },
              (failure: unknown) => setError(errorMessage(failure)),
            );
          }}
        >
          <textarea
            aria-label="Caption text"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="dental-caption-edit-text"
          />
          <button type="submit" data-testid="dental-caption-save">
            Save
          </button>
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </form>
      )}
      <div className="actions">
        {mayWrite && draft === null && (
          <button
            type="button"
            className="link-button small"
            onClick={() => setDraft(caption.text)}
            data-testid="dental-caption-edit"
          >
            Edit
          </button>
        )}
        {caption.history.length > 1 && (
          <button
            type="button"
            className="link-button small"
            onClick={() => setShowHistory((s) => !s)}
            data-testid="dental-caption-history-toggle"
          >
            {showHistory ? 'Hide history' : 'History'}
          </button>
        )}
      </div>
      {showHistory && (
        <ol className="dental-caption-history" data-testid="dental-caption-history">
          {caption.history.map((v) => (
            <li key={v.version}>
              <span className="muted">
                v{v.version}, {v.author}, {formatDate(v.at)}:
              </span>{' '}
              {v.text}
            </li>
          ))}
        </ol>
      )}
      {error !== null && <ErrorMessage message={error} />}
    </li>
  );
}

/** Text captions of a case per modality, with author, time and each edit's history. */
export function CaptionsPanel({ caseId }: { caseId: string }) {
  const api = useApi();
  const mayWrite = useCan('scans.write');
  const captions = useAsync(() => api.call('dental.captions.list', { caseId }), [api, caseId]);
  const [modality, setModality] = useState<Modality>('case');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="dental-captions" data-testid="dental-captions">
      {captions.error !== null && <ErrorMessage message={captions.error} />}
      {captions.data?.length === 0 && <p className="muted">No captions yet.</p>}
      <ul>
        {captions.data?.map((c) => (
          <CaptionItem key={c.id} caption={c} onSaved={captions.reload} />
        ))}
      </ul>
      {mayWrite && (
        <form
          className="dental-caption-new"
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            api.call('dental.captions.add', { caseId, modality, text }).then(
              () => {
                setText('');
                captions.reload();
              },
              (failure: unknown) => setError(errorMessage(failure)),
            );
          }}
        >
          <label className="inline-field">
            <span>About</span>
            <select
              value={modality}
              onChange={(e) => setModality(e.target.value as Modality)}
              data-testid="dental-caption-modality"
            >
              {DENTAL_CAPTION_MODALITIES.map((m) => (
                <option key={m} value={m}>
                  {MODALITY_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <textarea
            aria-label="New caption"
            placeholder="Write a caption"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="dental-caption-new-text"
          />
          <button type="submit" disabled={text.trim() === ''} data-testid="dental-caption-add">
            Add caption
          </button>
          {error !== null && <ErrorMessage message={error} />}
        </form>
      )}
    </div>
  );
}
