import { useCallback } from 'react';
import { useApi } from '../../api/api-context.js';
import type { Session } from '../../api/client.js';
import { useDesktopImport } from '../../app/use-desktop-import.js';
import { useHashRoute } from '../../app/use-hash-route.js';
import { hashFor, type Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { statusLabel } from '../../ui/format.js';
import { JobsPage } from '../jobs/jobs-page.js';
import { WorklistPage } from '../worklist/worklist-page.js';

const NAV: ReadonlyArray<{ route: Route; label: string }> = [
  { route: 'worklist', label: 'Worklist' },
  { route: 'jobs', label: 'Jobs' },
];

/** The logged-in frame: header with product, navigation and user; the current page below. */
export function AppShell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const api = useApi();
  const [route, navigate] = useHashRoute();
  const showJobs = useCallback(() => navigate('jobs'), [navigate]);
  const importer = useDesktopImport(showJobs);

  return (
    <div className="app">
      <header className="app-header" data-testid="app-header">
        <span className="brand" data-testid="product-name">
          Neurosphere
        </span>
        <nav className="nav" aria-label="Main">
          {NAV.map((item) => (
            <a
              key={item.route}
              href={hashFor(item.route)}
              className="nav-link"
              aria-current={route === item.route ? 'page' : undefined}
              data-testid={`nav-${item.route}`}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <div className="user">
          <span data-testid="current-user">{session.user.displayName}</span>
          <span className="role-badge" data-testid="current-role" data-role={session.user.role}>
            {statusLabel(session.user.role)}
          </span>
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
      </header>
      {importer.error !== null && (
        <div className="banner">
          <ErrorMessage message={importer.error} />
          <button type="button" className="button" onClick={importer.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      <main className="page">
        {route === 'jobs' ? <JobsPage /> : <WorklistPage importer={importer} />}
      </main>
    </div>
  );
}
