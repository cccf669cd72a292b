import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { AuthCard } from './auth-card.js';

/** First run: no account exists yet, so the person installing creates the administrator. */
export function SetupScreen() {
  const api = useApi();
  const [username, setUsername] = useState('admin');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (password !== confirmation) {
      setError('The two passwords are different. Type the same password twice.');
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const trimmedName = displayName.trim();
      await api.setup({
        username: username.trim(),
        password,
        ...(trimmedName !== '' && { displayName: trimmedName }),
      });
    } catch (failure) {
      setError(errorMessage(failure));
      setIsBusy(false);
    }
  }

  return (
    <AuthCard
      title="Welcome to Neurosphere"
      subtitle="Create the administrator account. You can add other users afterwards."
    >
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="setup-form">
        <label className="field">
          <span>Username</span>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
            data-testid="setup-username"
          />
        </label>
        <label className="field">
          <span>Full name (optional)</span>
          <input
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            autoComplete="name"
            data-testid="setup-display-name"
          />
        </label>
        <label className="field">
          <span>Password (at least 8 characters)</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            minLength={8}
            required
            data-testid="setup-password"
          />
        </label>
        <label className="field">
          <span>Repeat the password</span>
          <input
            type="password"
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            autoComplete="new-password"
            required
            data-testid="setup-password-confirm"
          />
        </label>
        <ErrorMessage message={error} />
        <button
          type="submit"
          className="button primary"
          disabled={isBusy}
          data-testid="setup-submit"
        >
          {isBusy ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    </AuthCard>
  );
}
