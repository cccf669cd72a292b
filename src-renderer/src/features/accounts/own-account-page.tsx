import { useState } from 'react';
import { ROLE_LABELS } from '../../../../src-shared/roles.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { isNewPasswordReady, NewPasswordFields } from './password-fields.js';

/** The logged-in user's own account: who they are and a form to change their password. */
export function OwnAccountPage() {
  const api = useApi();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  if (session === null) return null;
  const { user } = session;
  const ready = current !== '' && isNewPasswordReady(password, confirm, user.username);

  async function save(): Promise<void> {
    setState('saving');
    setError(null);
    try {
      await api.call('auth.changePassword', { currentPassword: current, newPassword: password });
      setCurrent('');
      setPassword('');
      setConfirm('');
      setState('saved');
    } catch (failure) {
      setError(errorMessage(failure));
      setState('idle');
    }
  }

  return (
    <section className="page-section" data-testid="account-page" aria-labelledby="account-title">
      <div className="toolbar">
        <h2 id="account-title">Your account</h2>
      </div>
      <section className="panel">
        <dl className="facts">
          <dt>Username</dt>
          <dd className="mono">{user.username}</dd>
          <dt>Name</dt>
          <dd>{user.displayName}</dd>
          <dt>Role</dt>
          <dd>{ROLE_LABELS[user.role]}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="password-title">
        <h3 id="password-title" className="panel-header">
          Change your password
        </h3>
        <form
          className="account-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) void save();
          }}
        >
          <label className="field">
            <span>Current password</span>
            <input
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              data-testid="own-password-current"
            />
          </label>
          <NewPasswordFields
            username={user.username}
            password={password}
            confirm={confirm}
            onPassword={(value) => {
              setPassword(value);
              setState('idle');
            }}
            onConfirm={setConfirm}
            testIdPrefix="own-password"
          />
          <ErrorMessage message={error} />
          <div className="toolbar">
            <button
              type="submit"
              className="button primary"
              disabled={!ready || state === 'saving'}
              data-testid="own-password-save"
            >
              Change password
            </button>
            <span className="muted" role="status" data-testid="own-password-state">
              {state === 'saving'
                ? 'Saving…'
                : state === 'saved'
                  ? 'Password changed. Your sessions on other devices were ended.'
                  : ''}
            </span>
          </div>
        </form>
      </section>
    </section>
  );
}
