import { useEffect, useRef, useState } from 'react';
import { useApi, useSession } from '../api/api-context.js';
import { errorMessage } from '../api/client.js';
import { LoginScreen } from '../features/auth/login-screen.js';
import { SetupScreen } from '../features/auth/setup-screen.js';
import { FirstRunGate } from '../features/first-run/first-run-gate.js';
import { AppShell } from '../features/shell/app-shell.js';
import { ErrorMessage } from '../ui/error-message.js';

const SESSION_ENDED = 'Your session has ended. Log in again to continue.';

/** Decides the screen: first-run setup, login, or the app, and keeps that in step with the session. */
export function App() {
  const api = useApi();
  const session = useSession();
  const [needsSetup, setNeedsSetup] = useState<boolean | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const isLoggingOut = useRef(false);
  /** The notice for a logout the app itself started (idle logoff); none for the button. */
  const logoutNotice = useRef<string | null>(null);
  const previousSession = useRef(session);

  useEffect(() => {
    setStartError(null);
    api.call('auth.status', {}).then(
      (status) => setNeedsSetup(status.needsSetup),
      (failure: unknown) => setStartError(errorMessage(failure)),
    );
  }, [api, attempt]);

  // A session restored after a reload may have expired meanwhile: asking who we are is enough,
  // the client drops the session when the core answers UNAUTHENTICATED.
  useEffect(() => {
    if (api.getSession() !== null) api.call('auth.whoami', {}).catch(() => undefined);
  }, [api]);

  useEffect(() => {
    if (session !== null) {
      setNeedsSetup(false);
      setNotice(null);
    } else if (previousSession.current !== null) {
      setNotice(isLoggingOut.current ? logoutNotice.current : SESSION_ENDED);
    }
    isLoggingOut.current = false;
    previousSession.current = session;
  }, [session]);

  if (session !== null) {
    return (
      <FirstRunGate session={session}>
        <AppShell
          session={session}
          onLogout={(reason) => {
            isLoggingOut.current = true;
            logoutNotice.current = reason;
            // The idle logoff ends the session here; the logout button does it itself.
            if (reason !== null) void api.logout();
          }}
        />
      </FirstRunGate>
    );
  }
  if (startError !== null) {
    return (
      <main className="auth-screen">
        <section className="auth-card" data-testid="startup-error">
          <h1 className="auth-title">Neurosphere is not reachable</h1>
          <ErrorMessage message={startError} />
          <button type="button" className="button primary" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </section>
      </main>
    );
  }
  if (needsSetup === null) {
    return (
      <main className="auth-screen" aria-busy="true">
        <p className="muted">Starting…</p>
      </main>
    );
  }
  return needsSetup ? <SetupScreen /> : <LoginScreen notice={notice} />;
}
