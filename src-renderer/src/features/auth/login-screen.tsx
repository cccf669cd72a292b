import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { AuthCard } from './auth-card.js';
import { RegisterScreen } from './register-screen.js';

export function LoginScreen({ notice = null }: { notice?: string | null }) {
  const api = useApi();
  const [isRegistering, setIsRegistering] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      await api.login(username.trim(), password);
    } catch (failure) {
      setError(errorMessage(failure));
      setPassword('');
      setIsBusy(false);
    }
  }

  if (isRegistering)
    return (
      <RegisterScreen
        onRegistered={(name) => {
          setUsername(name);
          setRegistered(name);
          setIsRegistering(false);
        }}
        onCancel={() => setIsRegistering(false)}
      />
    );

  const shown =
    registered === null ? notice : `Your account ${registered} was created: log in with it.`;
  return (
    <AuthCard title="Neurosphere" subtitle="Log in to continue.">
      {shown !== null && (
        <p className="notice" data-testid="login-notice">
          {shown}
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <label className="field">
          <span>Username</span>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoFocus
            required
            data-testid="login-username"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
            data-testid="login-password"
          />
        </label>
        <ErrorMessage message={error} />
        <button
          type="submit"
          className="button primary"
          disabled={isBusy}
          data-testid="login-submit"
        >
          {isBusy ? 'Logging in…' : 'Log in'}
        </button>
        <button
          type="button"
          className="button link"
          onClick={() => setIsRegistering(true)}
          data-testid="login-register"
        >
          Register with an invitation
        </button>
      </form>
    </AuthCard>
  );
}
