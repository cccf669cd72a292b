import { AppError } from '../../../src-shared/errors.js';
import type { Principal } from '../auth/principal.js';

/** Who owns an upload batch: only the same account may add files to it or commit it. */
export function uploadOwnerOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.user.id}` : `system:${principal.name}`;
}

/** The owner for a router call; the router has already authenticated non-public calls. */
export function uploadOwnerOfCall(principal: Principal | null): string {
  if (principal === null) throw new AppError('UNAUTHENTICATED', 'Log in first.');
  return uploadOwnerOf(principal);
}
