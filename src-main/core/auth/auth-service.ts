import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Role } from '../../../src-shared/roles.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { AuditRepo } from '../audit/audit-repo.js';
import type { SessionsRepo } from './sessions-repo.js';
import type { UsersRepo } from './users-repo.js';
import { hashPassword, verifyPassword, type KdfParams } from './password-hasher.js';
import type { Principal } from './principal.js';

export interface SessionInfo {
  token: string;
  user: User;
  idleTimeoutSeconds: number;
}

export interface AuthDeps {
  users: UsersRepo;
  sessions: SessionsRepo;
  audit: AuditRepo;
  clock: Clock;
  ids: IdGenerator;
  kdf: KdfParams;
  idleTimeoutSeconds: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createAuthService(deps: AuthDeps) {
  const { users, sessions, audit, clock } = deps;
  const badLogin = (): AppError => new AppError('UNAUTHENTICATED', 'Wrong username or password.');
  /** A hash (at this service's cost) to verify against when the user does not exist, so timing does not reveal usernames. */
  let dummyHash: Promise<string> | undefined;

  function openSession(user: User, client: string): SessionInfo {
    const token = randomBytes(32).toString('base64url');
    const now = clock.iso();
    sessions.insert({ tokenHash: hashToken(token), userId: user.id, now, client });
    users.recordLogin(user.id, now);
    return { token, user: users.get(user.id) ?? user, idleTimeoutSeconds: deps.idleTimeoutSeconds };
  }

  async function createUser(
    input: {
      username: string;
      password: string;
      role: Role;
      displayName?: string | undefined;
    },
    assertAllowed: () => void = () => undefined,
  ): Promise<User> {
    const check = (): void => {
      assertAllowed();
      if (users.getWithHashByUsername(input.username) !== undefined) {
        throw new AppError('CONFLICT', `A user named "${input.username}" already exists.`);
      }
    };
    check();
    const passwordHash = await hashPassword(input.password, deps.kdf);
    // Again after hashing: a concurrent request may have created the user meanwhile. The check
    // and the insert below run without an await between them, so nothing can slip in.
    check();
    return users.insert({
      id: deps.ids(),
      username: input.username,
      displayName: input.displayName?.trim() || input.username,
      role: input.role,
      passwordHash,
      now: clock.iso(),
    });
  }

  return {
    needsSetup(): boolean {
      return users.count() === 0;
    },

    async setup(
      input: { username: string; password: string; displayName?: string | undefined },
      client: string,
    ): Promise<SessionInfo> {
      const assertNoUsers = (): void => {
        if (users.count() > 0) {
          throw new AppError('CONFLICT', 'Setup is already done: log in with an existing account.');
        }
      };
      const user = await createUser({ ...input, role: 'admin' }, assertNoUsers);
      audit.append({
        at: clock.iso(),
        actor: user.username,
        action: 'auth.setup',
        target: user.id,
      });
      return openSession(user, client);
    },

    async login(username: string, password: string, client: string): Promise<SessionInfo> {
      const found = users.getWithHashByUsername(username);
      if (found === undefined) {
        dummyHash ??= hashPassword('not-a-real-password', deps.kdf);
        await verifyPassword(password, await dummyHash);
        audit.append({
          at: clock.iso(),
          actor: username,
          action: 'auth.login.failed',
          target: null,
        });
        throw badLogin();
      }
      const isValid = await verifyPassword(password, found.passwordHash);
      if (!isValid || found.user.disabled) {
        audit.append({
          at: clock.iso(),
          actor: username,
          action: 'auth.login.failed',
          target: found.user.id,
        });
        if (isValid)
          throw new AppError('UNAUTHENTICATED', 'This account is disabled. Ask an administrator.');
        throw badLogin();
      }
      audit.append({
        at: clock.iso(),
        actor: username,
        action: 'auth.login',
        target: found.user.id,
      });
      return openSession(found.user, client);
    },

    logout(principal: Principal): boolean {
      if (principal.kind !== 'user') return false;
      audit.append({
        at: clock.iso(),
        actor: principal.user.username,
        action: 'auth.logout',
        target: principal.user.id,
      });
      return sessions.remove(principal.tokenHash);
    },

    /** Resolves a bearer token to its user; ends sessions idle for longer than the timeout. */
    /**
     * @param options.touch false for checks that are not user activity (an open event socket
     *   re-checking its session), so they do not keep an idle session alive.
     */
    authenticate(token: string | null | undefined, options: { touch?: boolean } = {}): Principal {
      if (token === null || token === undefined || token === '') {
        throw new AppError('UNAUTHENTICATED', 'Log in first: this request has no session token.');
      }
      const tokenHash = hashToken(token);
      const session = sessions.get(tokenHash);
      if (session === undefined)
        throw new AppError('UNAUTHENTICATED', 'Your session has ended. Log in again.');
      const now = clock.now();
      const idleMs = now.getTime() - Date.parse(session.last_seen_at);
      if (idleMs > deps.idleTimeoutSeconds * 1000) {
        sessions.remove(tokenHash);
        throw new AppError(
          'UNAUTHENTICATED',
          `You were logged out after ${Math.round(deps.idleTimeoutSeconds / 60)} minutes without activity. Log in again.`,
        );
      }
      const user = users.get(session.user_id);
      if (user === undefined || user.disabled) {
        sessions.remove(tokenHash);
        throw new AppError(
          'UNAUTHENTICATED',
          'This account is no longer active. Ask an administrator.',
        );
      }
      // Touch at most every few seconds: a busy viewer must not turn every read into a write.
      if (options.touch !== false && idleMs > 5_000) sessions.touch(tokenHash, now.toISOString());
      return { kind: 'user', user, tokenHash };
    },

    createUser,

    async updateUser(
      id: string,
      changes: {
        role?: Role | undefined;
        displayName?: string | undefined;
        password?: string | undefined;
        disabled?: boolean | undefined;
      },
    ): Promise<User> {
      const passwordHash =
        changes.password === undefined ? undefined : await hashPassword(changes.password, deps.kdf);
      // Read and checked after the await, so a concurrent change cannot leave no active admin.
      const current = users.get(id);
      if (current === undefined) throw new AppError('NOT_FOUND', 'No such user.');
      const losesAdmin =
        current.role === 'admin' &&
        !current.disabled &&
        ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
      if (losesAdmin && users.countActiveAdmins() <= 1) {
        throw new AppError(
          'CONFLICT',
          'This is the last active administrator: create another admin first.',
        );
      }
      const updated = users.update(
        id,
        {
          ...(changes.role !== undefined && { role: changes.role }),
          ...(changes.displayName !== undefined && { displayName: changes.displayName }),
          ...(passwordHash !== undefined && { passwordHash }),
          ...(changes.disabled !== undefined && { disabled: changes.disabled }),
        },
        clock.iso(),
      ) as User;
      // A new password or a disabled account ends every open session of that user.
      if (passwordHash !== undefined || changes.disabled === true) sessions.removeForUser(id);
      return updated;
    },

    listUsers: (): User[] => users.list(),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
