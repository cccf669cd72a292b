import { useApi } from '../../api/api-context.js';
import type { Session } from '../../api/client.js';
import { statusLabel } from '../../ui/format.js';

/** Who is logged in and with which role, always visible, and the way out. */
export function UserBox({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const api = useApi();
  return (
    <div className="user">
      <span className="user-name" data-testid="current-user" title={session.user.username}>
        {session.user.displayName}
      </span>
      <span className="role-badge" data-testid="current-role" data-role={session.user.role}>
        {statusLabel(session.user.role)}
      </span>
      <a className="button" href="#/account" data-testid="account-link">
        Password
      </a>
      <button
        type="button"
        className="button"
        onClick={() => {
          onLogout();
          void api.logout();
        }}
        data-testid="logout-button"
      >
        Log out
      </button>
    </div>
  );
}
