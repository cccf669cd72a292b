import { Suspense, useEffect } from 'react';
import type { Route } from '../../app/routes.js';
import type { DesktopImport } from '../../app/use-desktop-import.js';
import { assertNever } from '../../../../src-shared/errors.js';
import { DashboardPage } from '../dashboard/dashboard-page.js';
import { ImportPage } from '../import/import-page.js';
import { JobsPage } from '../jobs/jobs-page.js';
import { PatientDetailPage } from '../patients/patient-detail-page.js';
import { PatientsPage } from '../patients/patients-page.js';
import { ReportPage } from '../reports/report-page.js';
import { SettingsPage } from '../settings/settings-page.js';
import { AccountsPage } from '../accounts/accounts-page.js';
import { OwnAccountPage } from '../accounts/own-account-page.js';
import { ConnectPage } from '../care-team/connect-page.js';
import { MyPatientsPage } from '../care-team/my-patients-page.js';
import { WorklistPage } from '../worklist/worklist-page.js';
import { FirstRunPage } from '../first-run/first-run-page.js';
import { AuditPage } from '../audit/audit-page.js';
import { SyncPage } from '../sync/sync-page.js';
import { QueryPage } from '../query/query-page.js';
import { preloadViewer, ScanPage } from './scan-page-loader.js';
import { Viewer3DPage } from './viewer3d-page-loader.js';
import { DentalCasePage, DentalPage } from './dental-page-loader.js';

/** The page for a route (the shell has already checked the role may open it). */
export function PageContent(props: {
  route: Route;
  navigate: (route: Route) => void;
  importer: DesktopImport;
}) {
  const { route, navigate } = props;
  useEffect(() => {
    // The viewer's chunk, fetched once the first page has settled, so that opening a scan is quick.
    const idle = window.requestIdleCallback(() => void preloadViewer().catch(() => undefined), {
      timeout: 3000,
    });
    return () => window.cancelIdleCallback(idle);
  }, []);
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage navigate={navigate} />;
    case 'worklist':
      return <WorklistPage navigate={navigate} />;
    case 'patients':
      return <PatientsPage navigate={navigate} />;
    case 'patient':
      return <PatientDetailPage key={route.id} patientId={route.id} navigate={navigate} />;
    case 'scan':
      return (
        <Suspense fallback={<div className="table-placeholder">Opening the viewer…</div>}>
          <ScanPage key={route.id} scanId={route.id} navigate={navigate} />
        </Suspense>
      );
    case 'scan3d':
      return <Viewer3DPage key={route.id} scanId={route.id} />;
    case 'report':
      return <ReportPage key={route.id} reportId={route.id} navigate={navigate} />;
    case 'import':
      return <ImportPage navigate={navigate} desktopImporter={props.importer} />;
    case 'jobs':
      return <JobsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'accounts':
      return <AccountsPage />;
    case 'account':
      return <OwnAccountPage />;
    case 'first-run':
      return <FirstRunPage navigate={navigate} />;
    case 'my-patients':
      return <MyPatientsPage navigate={navigate} />;
    case 'connect':
      return <ConnectPage />;
    case 'audit':
      return <AuditPage />;
    case 'sync':
      return <SyncPage />;
    case 'dental':
      return <DentalPage navigate={navigate} />;
    case 'dentalCase':
      return <DentalCasePage key={route.id} caseId={route.id} navigate={navigate} />;
    case 'query':
      return <QueryPage />;
    default:
      return assertNever(route);
  }
}
