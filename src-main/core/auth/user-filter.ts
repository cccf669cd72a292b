import type { User } from '../../../src-shared/contract/entities.js';
import type { userListInputSchema } from '../../../src-shared/contract/listings.js';
import type { z } from 'zod';

export type UserFilter = z.output<typeof userListInputSchema>;

/**
 * The accounts a `users.list` filter selects, in the list's order (by username). A workstation
 * has tens of accounts, so they are filtered here rather than in SQL.
 */
export function filterUsers(users: readonly User[], filter: UserFilter): User[] {
  const selected = users.filter(
    (user) =>
      (filter.role === undefined || user.role === filter.role) &&
      (filter.active === undefined || user.disabled !== filter.active),
  );
  const offset = filter.offset ?? 0;
  return selected.slice(offset, filter.limit === undefined ? undefined : offset + filter.limit);
}
