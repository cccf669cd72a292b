/** The accounts the suite creates; the server starts on a fresh data dir every run. */
export const ADMIN = {
  username: 'admin',
  password: 'correct-horse-battery',
  displayName: 'Dr. Ada Admin',
} as const;
export const VIEWER = {
  username: 'vera',
  password: 'viewer-password-1',
  displayName: 'Vera Viewer',
} as const;
