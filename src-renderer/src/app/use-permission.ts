import { roleHasPermission, type Permission } from '../../../src-shared/roles.js';
import { useSession } from '../api/api-context.js';

/**
 * Whether the logged-in user's role holds a permission. The UI hides what a role may not do;
 * the core refuses it regardless, so this is about clarity, not security.
 */
export function useCan(permission: Permission): boolean {
  const session = useSession();
  return session !== null && roleHasPermission(session.user.role, permission);
}
