import { useCallback, useEffect } from 'react';
import type { Session } from '../../api/client.js';
import { useDesktopImport } from '../../app/use-desktop-import.js';
import { useHashRoute } from '../../app/use-hash-route.js';
import { useIdleLogout } from '../../app/use-idle-logout.js';
import { mayOpen, type Page } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { NotAllowed } from '../../ui/empty-state.js';
import { IdleWarning } from './idle-warning.js';
import { MainNav } from './main-nav.js';
import { ThumbnailProvider } from '../worklist/thumbnail-context.js';
import { PageContent } from './page-content.js';
import { UserBox } from './user-box.js';
import { SyncIndicator } from '../sync/sync-indicator.js';

/** What each page is for, for the refusal a role sees when it opens one it may not use. */
const PAGE_PURPOSES: Readonly<Record<Page, string>> = {
  dashboard: 'see the dashboard',
  worklist: 'see the worklist',
  patients: 'see patients',
  patient: 'see patients',
  scan: 'view scans',
  scan3d: 'view scans',
  report: 'read reports',
  import: 'import scans',
  jobs: 'see jobs',
  settings: 'see the settings',
  accounts: 'manage accounts',
  account: 'change your password',
  'first-run': 'set up the installation',
  'my-patients': 'see your patients',
  connect: 'connect a doctor',
  audit: 'read the audit trail',
  sync: 'see the sync to the PACS',
  dental: 'see dental cases',
  dentalCase: 'see dental cases',
  query: 'query the PACS and retrieve studies',
};

export const IDLE_LOGOFF_NOTICE = (minutes: number): string =>
  `You were logged off after ${minutes} minutes without activity. Log in again to continue.`;

/** The logged-in frame: header with product, navigation and user; the current page below. */
export function AppShell({
  session,
  onLogout,
}: {
  session: Session;
  onLogout: (notice: string | null) => void;
}) {
  const [route, navigate] = useHashRoute();
  const showJobs = useCallback(() => navigate({ page: 'jobs' }), [navigate]);
  const importer = useDesktopImport(showJobs);
  const idle = useIdleLogout(session.idleTimeoutSeconds, () =>
    onLogout(IDLE_LOGOFF_NOTICE(Math.round(session.idleTimeoutSeconds / 60))),
  );
  const isAllowed = mayOpen(session.user.role, route.page);
  const ownPatientId = session.user.patientId;
  const isDoctor = mayOpen(session.user.role, 'my-patients');
  // A patient account has no lists to start from: its home is its own patient record. A doctor's
  // home is the list of their patients.
  useEffect(() => {
    if (!isAllowed && ownPatientId !== null) navigate({ page: 'patient', id: ownPatientId });
    else if (!isAllowed && isDoctor) navigate({ page: 'my-patients' });
  }, [isAllowed, ownPatientId, isDoctor, navigate]);

  return (
    <div className="app">
      <header className="app-header" data-testid="app-header">
        <span className="brand" data-testid="product-name">
          <span className="brand-mark" aria-hidden="true" />
          Neurosphere
        </span>
        <MainNav route={route} role={session.user.role} />
        <span className="spacer" />
        <SyncIndicator />
        <UserBox session={session} onLogout={() => onLogout(null)} />
      </header>
      {idle.kind === 'warning' && <IdleWarning remainingMs={idle.remainingMs} />}
      {importer.error !== null && (
        <div className="banner">
          <ErrorMessage message={importer.error} />
          <button type="button" className="button" onClick={importer.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      <main className="page" data-testid={`page-${route.page}`}>
        {isAllowed ? (
          <ThumbnailProvider>
            <PageContent route={route} navigate={navigate} importer={importer} />
          </ThumbnailProvider>
        ) : (
          <NotAllowed role={session.user.role} what={PAGE_PURPOSES[route.page]} />
        )}
      </main>
    </div>
  );
}
