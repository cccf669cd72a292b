import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import { passwordProblems } from '../../../src-shared/password-policy.js';
import type { Role } from '../../../src-shared/roles.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { AuditRepo } from '../audit/audit-repo.js';
import type { LoginThrottle, ThrottleRefusal } from './login-throttle.js';
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
  throttle: LoginThrottle;
  audit: AuditRepo;
  clock: Clock;
  ids: IdGenerator;
  kdf: KdfParams;
  idleTimeoutSeconds: number;
  /** A session ends this long after login however active it is. */
  absoluteSessionSeconds: number;
  /** Whether a patient record exists (a patient account must be linked to one). */
  patientExists: (id: string) => boolean;
}

export interface AccountChanges {
  role?: Role | undefined;
  displayName?: string | undefined;
  password?: string | undefined;
  disabled?: boolean | undefined;
  /** A patient account's patient record. */
  patientId?: string | null | undefined;
  /** Clears the failed-login count and any lock. */
  unlock?: boolean | undefined;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

/** Throws INVALID_INPUT with every reason the policy gives, or returns when the password passes. */
function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0)
    throw new AppError('INVALID_INPUT', `Choose another password: ${problems.join(' ')}`, {
      issues: problems.map((message) => ({ path: 'password', message })),
    });
}

/** A patient account names an existing patient; no other account names one. */
function patientLinkFor(
  role: Role,
  patientId: string | null | undefined,
  exists: (id: string) => boolean,
): string | null {
  if (role !== 'patient') {
    if (patientId !== null && patientId !== undefined)
      throw new AppError('INVALID_INPUT', 'Only a patient account is linked to a patient record.');
    return null;
  }
  if (patientId === null || patientId === undefined)
    throw new AppError(
      'INVALID_INPUT',
      'A patient account must be linked to its patient record: choose the patient.',
    );
  if (!exists(patientId)) throw new AppError('NOT_FOUND', 'No such patient record.');
  return patientId;
}

export function createAuthService(deps: AuthDeps) {
  const { users, sessions, audit, clock, throttle } = deps;
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

  function refusal(refused: ThrottleRefusal): AppError {
    if (refused.kind === 'locked')
      return new AppError(
        'UNAUTHENTICATED',
        `This account is locked after ${refused.failures} failed logins. An administrator can unlock it; otherwise it unlocks at ${refused.until}.`,
        { locked: true, lockedUntil: refused.until },
      );
    return new AppError(
      'UNAUTHENTICATED',
      `Too many failed logins: wait ${formatDuration(refused.seconds)} before trying again.`,
      { retryAfterSeconds: refused.seconds },
    );
  }

  /** Counts a failed attempt, audits it, and answers the error the caller should see. */
  function failed(username: string, target: string | null): AppError {
    const { failures, locked } = throttle.fail(username, clock.now());
    audit.append({ at: clock.iso(), actor: username, action: 'auth.login.failed', target });
    if (!locked) return badLogin();
    audit.append({
      at: clock.iso(),
      actor: username,
      action: 'auth.lockout',
      target,
      details: { failures },
    });
    const until = throttle.lockedUntil(username, clock.now()) ?? clock.iso();
    return refusal({ kind: 'locked', until, failures });
  }

  async function createUser(
    input: {
      username: string;
      password: string;
      role: Role;
      displayName?: string | undefined;
      patientId?: string | null | undefined;
    },
    assertAllowed: () => void = () => undefined,
    /** Runs right after the insert, with no await between (an invitation is used up here). */
    onInserted: (user: User) => void = () => undefined,
  ): Promise<User> {
    const check = (): void => {
      assertAllowed();
      if (users.getWithHashByUsername(input.username) !== undefined) {
        throw new AppError('CONFLICT', `A user named "${input.username}" already exists.`);
      }
    };
    check();
    assertPasswordPolicy(input.password, input.username);
    const patientId = patientLinkFor(input.role, input.patientId, deps.patientExists);
    const passwordHash = await hashPassword(input.password, deps.kdf);
    // Again after hashing: a concurrent request may have created the user meanwhile. The check
    // and the insert below run without an await between them, so nothing can slip in.
    check();
    const user = users.insert({
      id: deps.ids(),
      username: input.username,
      displayName: input.displayName?.trim() || input.username,
      role: input.role,
      passwordHash,
      patientId,
      now: clock.iso(),
    });
    onInserted(user);
    return user;
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
      // Refused before any hashing: a throttled flood costs the server nothing.
      const refused = throttle.check(username, clock.now());
      if (refused !== null) {
        audit.append({
          at: clock.iso(),
          actor: username,
          action: refused.kind === 'locked' ? 'auth.login.locked' : 'auth.login.throttled',
          target: null,
        });
        throw refusal(refused);
      }
      const found = users.getWithHashByUsername(username);
      if (found === undefined) {
        dummyHash ??= hashPassword('not-a-real-password', deps.kdf);
        await verifyPassword(password, await dummyHash);
        throw failed(username, null);
      }
      const isValid = await verifyPassword(password, found.passwordHash);
      if (!isValid) throw failed(username, found.user.id);
      if (found.user.disabled) {
        audit.append({
          at: clock.iso(),
          actor: username,
          action: 'auth.login.failed',
          target: found.user.id,
          details: { disabled: true },
        });
        throw new AppError('UNAUTHENTICATED', 'This account is disabled. Ask an administrator.');
      }
      throttle.clear(username);
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

    /**
     * Resolves a bearer token to its user; ends sessions idle for longer than the idle timeout
     * or older than the absolute lifetime.
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
      const ageMs = now.getTime() - Date.parse(session.created_at);
      if (ageMs > deps.absoluteSessionSeconds * 1000) {
        sessions.remove(tokenHash);
        throw new AppError(
          'UNAUTHENTICATED',
          `Sessions last at most ${formatDuration(deps.absoluteSessionSeconds)}: log in again.`,
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

    /** A user changes their own password; their other sessions end, this one stays. */
    async changeOwnPassword(
      principal: Principal,
      currentPassword: string,
      newPassword: string,
    ): Promise<User> {
      if (principal.kind !== 'user')
        throw new AppError('UNAUTHENTICATED', 'Only a logged-in user has a password to change.');
      const { username, id } = principal.user;
      const refused = throttle.check(username, clock.now());
      if (refused !== null) throw refusal(refused);
      const found = users.getWithHashById(id);
      if (found === undefined) throw new AppError('UNAUTHENTICATED', 'Log in again.');
      if (!(await verifyPassword(currentPassword, found.passwordHash))) {
        throttle.fail(username, clock.now());
        audit.append({
          at: clock.iso(),
          actor: username,
          action: 'auth.password.failed',
          target: id,
        });
        throw new AppError('PERMISSION_DENIED', 'The current password is wrong.');
      }
      if (currentPassword === newPassword)
        throw new AppError('INVALID_INPUT', 'The new password must differ from the current one.');
      assertPasswordPolicy(newPassword, username);
      const passwordHash = await hashPassword(newPassword, deps.kdf);
      const updated = users.update(id, { passwordHash }, clock.iso()) as User;
      sessions.removeForUserExcept(id, principal.tokenHash);
      audit.append({ at: clock.iso(), actor: username, action: 'auth.password', target: id });
      return updated;
    },

    async updateUser(id: string, changes: AccountChanges): Promise<User> {
      const before = users.get(id);
      if (before === undefined) throw new AppError('NOT_FOUND', 'No such user.');
      if (changes.password !== undefined) assertPasswordPolicy(changes.password, before.username);
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
      const role = changes.role ?? current.role;
      const touchesLink = changes.role !== undefined || changes.patientId !== undefined;
      const patientId = touchesLink
        ? patientLinkFor(
            role,
            changes.patientId === undefined
              ? role === 'patient'
                ? current.patientId
                : null
              : changes.patientId,
            deps.patientExists,
          )
        : undefined;
      const updated = users.update(
        id,
        {
          ...(changes.role !== undefined && { role: changes.role }),
          ...(changes.displayName !== undefined && { displayName: changes.displayName }),
          ...(passwordHash !== undefined && { passwordHash }),
          ...(changes.disabled !== undefined && { disabled: changes.disabled }),
          ...(patientId !== undefined && { patientId }),
        },
        clock.iso(),
      ) as User;
      // A new password or a disabled account ends every open session of that user. A new role
      // or patient link applies to open sessions at the next request (authenticate re-reads it).
      if (passwordHash !== undefined || changes.disabled === true) sessions.removeForUser(id);
      if (changes.unlock === true) throttle.clear(current.username);
      return users.get(id) ?? updated;
    },

    listUsers: (): User[] => users.list(),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
