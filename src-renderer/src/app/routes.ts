import {
  ROLE_SCOPE,
  roleHasPermission,
  type DataScope,
  type Permission,
  type Role,
} from '../../../src-shared/roles.js';

/**
 * The app's pages. Routing uses the URL hash: it survives a reload and works under both the
 * desktop app's custom protocol and serve mode without any server-side routing.
 */
export const LIST_PAGES = [
  'dashboard',
  'worklist',
  'patients',
  'import',
  'jobs',
  'settings',
  'accounts',
  'account',
  'first-run',
  /** A doctor's assigned patients (features/care-team). */
  'my-patients',
  /** A patient account's connect code for its doctor (features/care-team). */
  'connect',
  'audit',
  'sync',
  /** Dental cases: scan pairs with a CBCT, folders, captions (features/dental). */
  'dental',
  /** Query/retrieve from a PACS (features/query); `#/query?patientId=…` prefills the search. */
  'query',
] as const;
export type ListPage = (typeof LIST_PAGES)[number];

export type Route =
  | { readonly page: ListPage }
  | { readonly page: 'patient'; readonly id: string }
  | { readonly page: 'scan'; readonly id: string }
  /** The scan's 3D view (features/viewer3d). */
  | { readonly page: 'scan3d'; readonly id: string }
  /** One version of a report, by its id. */
  | { readonly page: 'report'; readonly id: string }
  /** One dental case (features/dental). */
  | { readonly page: 'dentalCase'; readonly id: string };
export type Page = Route['page'];

export const DEFAULT_ROUTE: Route = { page: 'worklist' };

/**
 * What a role needs to see each page ('any' for every logged-in user); the core refuses the
 * calls behind it all the same.
 */
export const PAGE_PERMISSIONS: Readonly<Record<Page, Permission | 'any'>> = {
  dashboard: 'scans.read',
  worklist: 'scans.read',
  patients: 'patients.read',
  patient: 'patients.read',
  scan: 'scans.read',
  scan3d: 'scans.read',
  report: 'reports.read',
  import: 'import.run',
  jobs: 'jobs.read',
  settings: 'system.read',
  accounts: 'users.manage',
  account: 'any',
  'first-run': 'settings.write',
  'my-patients': 'patients.read',
  connect: 'careteam.connect',
  audit: 'audit.read',
  sync: 'system.read',
  dental: 'scans.read',
  dentalCase: 'scans.read',
  query: 'import.run',
};

/** The pages a role limited to one patient's records (a patient account) can use. */
const OWN_PATIENT_PAGES: ReadonlySet<Page> = new Set(['patient', 'scan', 'report', 'account']);

/** The pages of a doctor, who sees only the patients assigned to them. */
const ASSIGNED_PATIENTS_PAGES: ReadonlySet<Page> = new Set([
  'my-patients',
  'patient',
  'scan',
  'report',
  'account',
]);

/** Pages that exist for one data scope only (a doctor's list, a patient's connect code). */
const SCOPE_ONLY_PAGES: ReadonlyMap<Page, DataScope> = new Map([
  ['my-patients', 'assigned-patients'],
  ['connect', 'own-patient'],
]);

/** Whether a role may open a page (its permission, and for a patient account, its scope). */
export function mayOpen(role: Role, page: Page): boolean {
  const onlyFor = SCOPE_ONLY_PAGES.get(page);
  if (onlyFor !== undefined && ROLE_SCOPE[role] !== onlyFor) return false;
  if (ROLE_SCOPE[role] === 'own-patient' && !OWN_PATIENT_PAGES.has(page) && page !== 'connect')
    return false;
  if (ROLE_SCOPE[role] === 'assigned-patients' && !ASSIGNED_PATIENTS_PAGES.has(page)) return false;
  const needed = PAGE_PERMISSIONS[page];
  return needed === 'any' || roleHasPermission(role, needed);
}

const ID = /^[0-9a-f-]{36}$/i;

export function routeFromHash(hash: string): Route {
  const [name = '', id = '', view = ''] =
    hash.replace(/^#\/?/, '').split(/[?]/)[0]?.split('/') ?? [];
  if ((LIST_PAGES as readonly string[]).includes(name)) {
    if (name === 'patients' && ID.test(id)) return { page: 'patient', id };
    if (name === 'dental' && ID.test(id)) return { page: 'dentalCase', id };
    return { page: name as ListPage };
  }
  if (name === 'scans' && ID.test(id))
    return view === '3d' ? { page: 'scan3d', id } : { page: 'scan', id };
  if (name === 'reports' && ID.test(id)) return { page: 'report', id };
  return DEFAULT_ROUTE;
}

export function hashFor(route: Route): string {
  switch (route.page) {
    case 'patient':
      return `#/patients/${route.id}`;
    case 'scan':
      return `#/scans/${route.id}`;
    case 'scan3d':
      return `#/scans/${route.id}/3d`;
    case 'report':
      return `#/reports/${route.id}`;
    case 'dentalCase':
      return `#/dental/${route.id}`;
    default:
      return `#/${route.page}`;
  }
}

/** Whether two routes show the same screen (for the navigation's "current page"). */
export function isSection(route: Route, page: ListPage): boolean {
  if (route.page === page) return true;
  if (route.page === 'patient') return page === 'patients' || page === 'my-patients';
  if (route.page === 'scan' || route.page === 'scan3d' || route.page === 'report')
    return page === 'worklist';
  if (route.page === 'dentalCase') return page === 'dental';
  return false;
}
