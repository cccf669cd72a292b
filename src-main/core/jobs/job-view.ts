import type { Job } from '../../../src-shared/contract/entities.js';
import { roleHasPermission, type Role } from '../../../src-shared/roles.js';

/** An absolute POSIX or Windows path inside text; group 1 is its last part. */
const ABSOLUTE_PATH = /(?<![\w.:/\\])(?:\/|[A-Za-z]:\\)(?:[^\s/\\"'`]+[/\\])*([^\s/\\"'`]*)/g;

function withoutPaths(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ABSOLUTE_PATH, '$1');
  if (Array.isArray(value)) return value.map(withoutPaths);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPaths(v)]));
  return value;
}

/**
 * A job as a role may see it. Import jobs name the server's files (payload paths, each file's
 * outcome, error texts); a role that may not import sees only file names, not where they lie.
 */
export function jobForRole(job: Job, role: Role): Job {
  if (roleHasPermission(role, 'import.run')) return job;
  return withoutPaths(job) as Job;
}
