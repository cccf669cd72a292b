import { AppError } from '../../../src-shared/errors.js';
import { roleHasPermission, type Permission } from '../../../src-shared/roles.js';
import { roleOf, type Principal } from '../auth/principal.js';

/** The part of the auth service a binary transport needs. */
export interface SessionAuthenticator {
  authenticate(token: string | null | undefined): Principal;
}

/**
 * For the binary transports (uploads, frames) that carry bytes the JSON router cannot: the same
 * checks as the router, in the same order and with the same errors. Authenticate the session
 * token, then require the permission.
 */
export function authorizeBinaryCall(
  auth: SessionAuthenticator,
  token: string | null | undefined,
  permission: Permission,
  what: string,
): Principal {
  const principal = auth.authenticate(token);
  const role = roleOf(principal);
  if (!roleHasPermission(role, permission)) {
    throw new AppError('PERMISSION_DENIED', `Your role (${role}) may not do this (${what}).`, {
      permission,
    });
  }
  return principal;
}

/** Who owns an upload batch: only the same account may add files to it or commit it. */
export function uploadOwnerOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.user.id}` : `system:${principal.name}`;
}

/** The owner for a router call; the router has already authenticated non-public methods. */
export function uploadOwnerOfCall(principal: Principal | null): string {
  if (principal === null) throw new AppError('UNAUTHENTICATED', 'Log in first.');
  return uploadOwnerOf(principal);
}
