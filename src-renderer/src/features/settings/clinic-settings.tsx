import { useEffect, useState } from 'react';
import {
  CLINIC_LOGO_MAX_BYTES,
  type ClinicSettings,
} from '../../../../src-shared/contract/reports.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes } from '../../ui/format.js';

const LOGO_TYPES = ['image/png', 'image/jpeg'];

/** A logo file as the base64 the contract takes, or the reason it is refused. */
async function logoOf(file: File): Promise<{ base64: string } | { problem: string }> {
  if (!LOGO_TYPES.includes(file.type))
    return { problem: `${file.name} is not a PNG or JPEG picture: choose one of those.` };
  if (file.size > CLINIC_LOGO_MAX_BYTES)
    return {
      problem: `${file.name} is ${formatBytes(file.size)}; the logo may be at most ${formatBytes(CLINIC_LOGO_MAX_BYTES)}. Save it smaller.`,
    };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { base64: btoa(binary) };
}

/** The letterhead on every report: clinic name, address and logo. Administrators edit it. */
export function ClinicSettingsPanel() {
  const api = useApi();
  const canEdit = useCan('settings.write');
  const stored = useAsync(() => api.call('clinic.get', {}), [api]);
  const [draft, setDraft] = useState<ClinicSettings | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (stored.data !== undefined) setDraft(stored.data);
  }, [stored.data]);

  if (draft === null)
    return (
      <section className="panel" aria-labelledby="clinic-title">
        <h3 id="clinic-title" className="panel-header">
          Report letterhead
        </h3>
        <ErrorMessage message={stored.error} />
      </section>
    );

  const changed =
    stored.data !== undefined &&
    (draft.name !== stored.data.name ||
      draft.address !== stored.data.address ||
      draft.logoBase64 !== stored.data.logoBase64);

  async function chooseLogo(file: File | undefined): Promise<void> {
    if (file === undefined || draft === null) return;
    const logo = await logoOf(file);
    if ('problem' in logo) {
      setError(logo.problem);
      return;
    }
    setError(null);
    setState('idle');
    setDraft({ ...draft, logoBase64: logo.base64 });
  }

  async function save(): Promise<void> {
    if (draft === null) return;
    setState('saving');
    setError(null);
    try {
      await api.call('clinic.update', {
        name: draft.name,
        address: draft.address,
        logoBase64: draft.logoBase64,
      });
      stored.reload();
      setState('saved');
    } catch (failure) {
      setError(errorMessage(failure));
      setState('idle');
    }
  }

  const logoMime = draft.logoBase64?.startsWith('/9j/') === true ? 'image/jpeg' : 'image/png';
  return (
    <section className="panel" aria-labelledby="clinic-title" data-testid="clinic-settings">
      <h3 id="clinic-title" className="panel-header">
        Report letterhead
      </h3>
      <p className="muted panel-empty">
        Printed at the top of every report. Without a name, reports are headed “Neurosphere”.
      </p>
      <div className="clinic-form">
        <div className="clinic-fields">
          <label className="field">
            <span>Clinic name</span>
            <input
              value={draft.name}
              maxLength={200}
              readOnly={!canEdit}
              onChange={(e) => {
                setDraft({ ...draft, name: e.target.value });
                setState('idle');
              }}
              data-testid="clinic-name"
            />
          </label>
          <label className="field">
            <span>Address</span>
            <textarea
              value={draft.address}
              maxLength={1000}
              rows={3}
              readOnly={!canEdit}
              onChange={(e) => {
                setDraft({ ...draft, address: e.target.value });
                setState('idle');
              }}
              data-testid="clinic-address"
            />
          </label>
        </div>
        <div className="clinic-logo">
          <span className="muted">Logo</span>
          {draft.logoBase64 === null ? (
            <div className="logo-box empty-logo">No logo</div>
          ) : (
            <img
              className="logo-box"
              src={`data:${logoMime};base64,${draft.logoBase64}`}
              alt="Clinic logo"
              data-testid="clinic-logo"
            />
          )}
          {canEdit && (
            <div className="toolbar">
              <label className="button small">
                Choose PNG or JPEG…
                <input
                  type="file"
                  accept="image/png,image/jpeg"
                  hidden
                  onChange={(e) => {
                    void chooseLogo(e.target.files?.[0]);
                    e.target.value = '';
                  }}
                  data-testid="clinic-logo-input"
                />
              </label>
              {draft.logoBase64 !== null && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => setDraft({ ...draft, logoBase64: null })}
                  data-testid="clinic-logo-remove"
                >
                  Remove
                </button>
              )}
            </div>
          )}
        </div>
      </div>
      <ErrorMessage message={error} />
      {canEdit ? (
        <div className="toolbar">
          <button
            type="button"
            className="button primary"
            disabled={!changed || state === 'saving'}
            onClick={() => void save()}
            data-testid="clinic-save"
          >
            Save letterhead
          </button>
          <span className="muted" role="status" data-testid="clinic-save-state">
            {state === 'saving'
              ? 'Saving…'
              : changed
                ? 'Unsaved changes'
                : state === 'saved'
                  ? 'Saved: every report PDF made from now on carries it.'
                  : ''}
          </span>
        </div>
      ) : (
        <p className="muted small-note">Only an administrator changes the letterhead.</p>
      )}
    </section>
  );
}
