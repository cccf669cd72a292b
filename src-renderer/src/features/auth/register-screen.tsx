import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { isNewPasswordReady, NewPasswordFields } from '../accounts/password-fields.js';
import { AuthCard } from './auth-card.js';

/**
 * Creating one's own account with an invitation from an administrator (the invitation decides
 * the role). Afterwards the person logs in as usual.
 */
export function RegisterScreen(props: {
  onRegistered: (username: string) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const [invitation, setInvitation] = useState('');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const ready =
    invitation.trim() !== '' &&
    username.trim().length >= 2 &&
    isNewPasswordReady(password, confirm, username.trim());

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!ready) return;
    setIsBusy(true);
    setError(null);
    try {
      const user = await api.call('auth.register', {
        invitation: invitation.trim(),
        username: username.trim(),
        password,
        ...(displayName.trim() !== '' && { displayName: displayName.trim() }),
      });
      props.onRegistered(user.username);
    } catch (failure) {
      setError(errorMessage(failure));
      setIsBusy(false);
    }
  }

  return (
    <AuthCard
      title="Create your account"
      subtitle="With the invitation code your administrator gave you."
    >
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="register-form">
        <label className="field">
          <span>Invitation code</span>
          <input
            value={invitation}
            onChange={(e) => setInvitation(e.target.value)}
            autoComplete="off"
            autoFocus
            placeholder="e.g. K7QX2-MP9RD"
            required
            data-testid="register-invitation"
          />
        </label>
        <label className="field">
          <span>Username</span>
          <input
            value={username}
            maxLength={64}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
            data-testid="register-username"
          />
        </label>
        <label className="field">
          <span>Full name (optional)</span>
          <input
            value={displayName}
            maxLength={200}
            onChange={(e) => setDisplayName(e.target.value)}
            autoComplete="name"
            data-testid="register-display-name"
          />
        </label>
        <NewPasswordFields
          username={username.trim()}
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          testIdPrefix="register-password"
        />
        <ErrorMessage message={error} />
        <button
          type="submit"
          className="button primary"
          disabled={!ready || isBusy}
          data-testid="register-submit"
        >
          {isBusy ? 'Creating your account…' : 'Create account'}
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onCancel}
          data-testid="register-cancel"
        >
          Back to log in
        </button>
      </form>
    </AuthCard>
  );
}
