/** Roles and what each may do. Least privilege: a viewer only reads. */
export const ROLES = ['admin', 'radiologist', 'technologist', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

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
  ],
  technologist: [
    ...READ,
    'scans.write',
    'patients.write',
    'import.run',
    'analysis.run',
    'jobs.manage',
  ],
  viewer: READ,
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
