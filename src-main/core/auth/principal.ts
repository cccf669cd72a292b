import type { User } from '../../../src-shared/contract/entities.js';
import type { Role } from '../../../src-shared/roles.js';

/** Who is calling: a logged-in user, or the local operator of the CLI (who owns the data dir). */
export type Principal =
  | { readonly kind: 'user'; readonly user: User; readonly tokenHash: string }
  | { readonly kind: 'system'; readonly name: string; readonly role: Role };

export function roleOf(principal: Principal): Role {
  return principal.kind === 'user' ? principal.user.role : principal.role;
}

export function actorOf(principal: Principal | null): string | null {
  if (principal === null) return null;
  return principal.kind === 'user' ? principal.user.username : `system:${principal.name}`;
}
