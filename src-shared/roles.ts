/**
 * Roles and what each may do. Least privilege: every role holds only the permissions its work
 * needs, and a role whose data scope is `own-patient` sees only the patient record its account is
 * linked to (the core enforces the scope; permissions alone say which kinds of call it may make).
 */
export const ROLES = [
  'admin',
  'radiologist',
  'technologist',
  'viewer',
  'annotator',
  'student',
  'demo',
  'patient',
  'doctor',
  'workstation',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The names the seeds used for the same roles (the seed projects called them superuser,
 * standard, student developer; the doctor/patient seed's doctor is the `doctor` role itself). Accepted wherever a role is typed in (CLI, import of accounts).
 */
export const ROLE_ALIASES: Readonly<Record<string, Role>> = {
  superuser: 'admin',
  standard: 'viewer',
  'student-developer': 'student',
  developer: 'student',
};

/** A role name or one of its aliases, or undefined when it names no role. */
export function parseRole(name: string): Role | undefined {
  const key = name.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(key)) return key as Role;
  return Object.hasOwn(ROLE_ALIASES, key) ? ROLE_ALIASES[key] : undefined;
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  radiologist: 'Radiologist / doctor',
  technologist: 'Technologist',
  viewer: 'Viewer',
  annotator: 'Annotator',
  student: 'Student developer',
  demo: 'Demo (read-only)',
  patient: 'Patient',
  doctor: 'Doctor (assigned patients)',
  workstation: 'Workstation (sends records to this hub)',
};

/** One line per role for the account screen, saying what it may do. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  admin: 'Everything, including accounts, settings and the audit trail.',
  radiologist: 'Reads, imports, runs analyses, writes and signs reports.',
  technologist: 'Reads, imports, runs analyses and edits scans; cannot sign reports.',
  viewer: 'Reads scans, patients and reports.',
  annotator: 'Reads scans and draws measurements and labels.',
  student: 'Reads, plus technical details (models, system information, debug details).',
  demo: 'Reads only; for showing the sample data.',
  patient: 'Sees only their own scans and reports.',
  doctor: 'Sees only the patients assigned to them (by an administrator or a connect code).',
  workstation:
    'A service account for another Neurosphere that sends its records to this one (the clinic hub); reads nothing.',
};

export const PERMISSIONS = [
  'scans.read',
  'scans.write',
  'scans.delete',
  'patients.read',
  'patients.write',
  'patients.delete',
  'import.run',
  'analysis.run',
  'jobs.read',
  'jobs.manage',
  'users.manage',
  'system.read',
  'reports.read',
  'reports.write',
  'reports.sign',
  'reports.delete',
  'settings.write',
  /** Measurements and labels drawn on a scan (an annotator's whole job). */
  'annotations.write',
  /** Technical details meant for developers: model internals, timings, raw job payloads. */
  'debug.read',
  /** The audit trail: who read or changed what. */
  'audit.read',
  /** Connect codes between a patient account and a doctor account (the doctor/patient seed). */
  'careteam.connect',
  /** Treatment suggestions of X-ray readings (from the cited table; docs/xray-readings.md). */
  'suggestions.read',
  /** Send records to this server as the clinic's hub (a workstation's service account). */
  'sync.receive',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Which records a role's permissions reach: all, the patient record its account is linked to,
 * or the patients assigned to it (care team: by an administrator or a connect code).
 */
export type DataScope = 'all' | 'own-patient' | 'assigned-patients';

const READ: readonly Permission[] = [
  'scans.read',
  'patients.read',
  'jobs.read',
  'system.read',
  'reports.read',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  radiologist: [
    ...READ,
    'scans.write',
    'patients.write',
    'import.run',
    'analysis.run',
    'jobs.manage',
    'reports.write',
    'reports.sign',
    'annotations.write',
    'suggestions.read',
  ],
  technologist: [
    ...READ,
    'scans.write',
    'patients.write',
    'import.run',
    'analysis.run',
    'jobs.manage',
    'annotations.write',
  ],
  viewer: READ,
  annotator: [...READ, 'annotations.write'],
  student: [...READ, 'debug.read'],
  demo: READ,
  // No jobs (they name other patients' scans) and no system details.
  patient: ['scans.read', 'patients.read', 'reports.read', 'careteam.connect'],
  // A patient's reads, for each assigned patient; no jobs, lists of everyone, or system details.
  doctor: ['scans.read', 'patients.read', 'reports.read', 'careteam.connect', 'suggestions.read'],
  // Only sends its records to the hub: no reads of the hub's data.
  workstation: ['sync.receive'],
};

export const ROLE_SCOPE: Readonly<Record<Role, DataScope>> = {
  admin: 'all',
  radiologist: 'all',
  technologist: 'all',
  viewer: 'all',
  annotator: 'all',
  student: 'all',
  demo: 'all',
  patient: 'own-patient',
  doctor: 'assigned-patients',
  workstation: 'all',
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
