import { useEffect, useState, type ReactNode } from 'react';
import { roleHasPermission } from '../../../../src-shared/roles.js';
import { useApi } from '../../api/api-context.js';
import type { Session } from '../../api/client.js';
import { hashFor } from '../../app/routes.js';

/**
 * After an administrator logs in, opens the first-run wizard while it has not been finished
 * (once per site). The decision is made before the app is shown, so the first screen is the
 * wizard rather than a page that jumps away.
 */
export function FirstRunGate({ session, children }: { session: Session; children: ReactNode }) {
  const api = useApi();
  const isAdmin = roleHasPermission(session.user.role, 'settings.write');
  const [decidedFor, setDecidedFor] = useState<string | null>(null);

  useEffect(() => {
    if (!isAdmin || decidedFor === session.token) return;
    let isCurrent = true;
    api.call('firstRun.status', {}).then(
      (status) => {
        if (!isCurrent) return;
        if (!status.isComplete) window.location.hash = hashFor({ page: 'first-run' });
        setDecidedFor(session.token);
      },
      // The wizard is a help, not a gate: without an answer the app opens as usual.
      () => isCurrent && setDecidedFor(session.token),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, isAdmin, decidedFor, session.token]);

  // Only administrators wait for the answer; everyone else (and a later login) is not held up.
  if (isAdmin && decidedFor !== session.token) {
    return (
      <main className="auth-screen" aria-busy="true">
        <p className="muted">Starting…</p>
      </main>
    );
  }
  return <>{children}</>;
}
