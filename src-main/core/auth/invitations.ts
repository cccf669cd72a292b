import type { Invitation, IssuedInvitation } from '../../../src-shared/contract/care-team.js';
import type { User } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Role } from '../../../src-shared/roles.js';
import type { AuditRepo } from '../audit/audit-repo.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { AuthService } from './auth-service.js';
import type { InvitationsRepo } from './invitations-repo.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashCode, hashSecret, newShortCode, newToken } from './one-time-codes.js';

export interface InvitationDeps {
  repo: InvitationsRepo;
  auth: AuthService;
  audit: AuditRepo;
  throttle: LoginThrottle;
  clock: Clock;
  ids: IdGenerator;
  patientExists: (id: string) => boolean;
}

/** Why an invitation cannot be used, in words the invitee can act on. */
const REFUSALS = {
  unknown:
    'This invitation code is not valid: check it (letters and digits, e.g. K7QX2-MP9RD) or ask your administrator for a new one.',
  used: 'This invitation was already used to create an account: log in with that account, or ask your administrator for a new invitation.',
  revoked: 'This invitation was withdrawn by an administrator: ask them for a new one.',
  expired: 'This invitation has expired: ask your administrator for a new one.',
} as const;
type RefusalReason = keyof typeof REFUSALS;

/**
 * Invitations: an administrator issues a one-time token and short code that expire and grant a
 * role (and, for a patient account, its patient record); the invitee registers with either.
 * Wrong codes are throttled per client like wrong passwords (a code is short enough to guess at
 * otherwise), and every registration and refusal is audited.
 */
export function createInvitations(deps: InvitationDeps) {
  const { repo, audit, clock } = deps;

  function refuse(reason: RefusalReason, username: string, invitationId: string | null): AppError {
    audit.append({
      at: clock.iso(),
      actor: username,
      action: 'auth.register.refused',
      target: invitationId,
      details: { reason },
    });
    return new AppError(reason === 'unknown' ? 'NOT_FOUND' : 'CONFLICT', REFUSALS[reason], {
      reason,
    });
  }

  /** The invitation a typed token or code names, if it can still be used. */
  function usable(secret: string, username: string): Invitation {
    const found = repo.findBySecret(hashSecret(secret.trim()), hashCode(secret), clock.now());
    if (found === undefined) throw refuse('unknown', username, null);
    if (found.status !== 'pending') throw refuse(found.status, username, found.id);
    return found;
  }

  return {
    create(
      input: {
        role: Role;
        expiresInHours: number;
        patientId?: string | null | undefined;
        note: string;
      },
      createdBy: User | null,
    ): IssuedInvitation {
      const patientId = input.patientId ?? null;
      if (input.role === 'patient' && patientId === null)
        throw new AppError(
          'INVALID_INPUT',
          'A patient invitation is linked to the patient record the account will see: choose the patient.',
        );
      if (input.role !== 'patient' && patientId !== null)
        throw new AppError(
          'INVALID_INPUT',
          'Only a patient invitation is linked to a patient record.',
        );
      if (patientId !== null && !deps.patientExists(patientId))
        throw new AppError('NOT_FOUND', 'No such patient record.');
      const token = newToken();
      const code = newShortCode();
      const now = clock.now();
      const id = deps.ids();
      repo.insert({
        id,
        tokenHash: hashSecret(token),
        codeHash: hashCode(code),
        role: input.role,
        patientId,
        note: input.note,
        createdBy: createdBy?.id ?? null,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + input.expiresInHours * 3_600_000).toISOString(),
      });
      return { invitation: repo.get(id, now) as Invitation, token, code };
    },

    list: (): Invitation[] => repo.list(clock.now()),

    revoke(id: string): Invitation {
      const now = clock.now();
      const found = repo.get(id, now);
      if (found === undefined) throw new AppError('NOT_FOUND', 'No such invitation.');
      if (found.status === 'used')
        throw new AppError(
          'CONFLICT',
          'This invitation was already used: disable the account it created instead.',
        );
      repo.revoke(id, now.toISOString());
      return repo.get(id, now) as Invitation;
    },

    /** Creates the invitee's account with the invitation's role; the invitation is then used up. */
    async register(
      input: {
        invitation: string;
        username: string;
        password: string;
        displayName?: string | undefined;
      },
      client: string,
    ): Promise<User> {
      const throttleKey = `invitation:${client}`;
      const refused = deps.throttle.check(throttleKey, clock.now());
      if (refused !== null) {
        audit.append({
          at: clock.iso(),
          actor: input.username,
          action: 'auth.register.throttled',
          target: null,
        });
        throw new AppError(
          'UNAUTHENTICATED',
          refused.kind === 'locked'
            ? `Too many wrong invitation codes from this computer: try again after ${refused.until}, or ask your administrator.`
            : `Too many wrong invitation codes: wait ${refused.seconds} seconds before trying again.`,
          refused.kind === 'wait'
            ? { retryAfterSeconds: refused.seconds }
            : { lockedUntil: refused.until },
        );
      }
      let invitation: Invitation;
      try {
        invitation = usable(input.invitation, input.username);
      } catch (error) {
        deps.throttle.fail(throttleKey, clock.now());
        throw error;
      }
      const user = await deps.auth.createUser(
        {
          username: input.username,
          password: input.password,
          displayName: input.displayName,
          role: invitation.role,
          patientId: invitation.patientId,
        },
        // Checked again right before the insert: used or revoked meanwhile refuses the account.
        () => void usable(input.invitation, input.username),
        (created) => {
          if (!repo.markUsed(invitation.id, created.id, clock.iso()))
            throw refuse('used', input.username, invitation.id);
        },
      );
      deps.throttle.clear(throttleKey);
      audit.append({
        at: clock.iso(),
        actor: user.username,
        action: 'auth.register',
        target: user.id,
        details: { invitation: invitation.id, role: user.role },
      });
      return user;
    },
  };
}
export type Invitations = ReturnType<typeof createInvitations>;
