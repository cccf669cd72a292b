import type { CareLink, ConnectCode } from '../../../src-shared/contract/care-team.js';
import type { Patient, User } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AuditRepo } from '../audit/audit-repo.js';
import type { Clock } from '../platform/clock.js';
import type { CareTeamRepo } from './care-team-repo.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashCode, newShortCode } from './one-time-codes.js';
import type { UsersRepo } from './users-repo.js';

export interface CareTeamDeps {
  repo: CareTeamRepo;
  users: UsersRepo;
  patient: (id: string) => Patient | undefined;
  audit: AuditRepo;
  throttle: LoginThrottle;
  clock: Clock;
}

const NOT_FOR_ROLE =
  'Connect codes link a patient account and a doctor account; an administrator assigns a doctor to a patient in Accounts instead.';

/**
 * Which doctor sees which patient (the doctor/patient seed). A patient account makes a one-time
 * connect code for its record and a doctor enters it, or a doctor makes one and the patient
 * enters it; an administrator assigns directly. The router's patient scope reads the result:
 * a `doctor` account reaches only its assigned patients.
 */
export function createCareTeam(deps: CareTeamDeps) {
  const { repo, audit, clock } = deps;

  function refuse(user: User, reason: 'unknown' | 'used' | 'expired' | 'same-side'): AppError {
    audit.append({
      at: clock.iso(),
      actor: user.username,
      action: 'careTeam.connect.refused',
      target: null,
      details: { reason },
    });
    switch (reason) {
      case 'unknown':
        return new AppError(
          'NOT_FOUND',
          'This connect code is not valid: check it, or ask for a new one.',
          { reason },
        );
      case 'used':
        return new AppError('CONFLICT', 'This connect code was already used: ask for a new one.', {
          reason,
        });
      case 'expired':
        return new AppError('CONFLICT', 'This connect code has expired: ask for a new one.', {
          reason,
        });
      case 'same-side':
        return new AppError(
          'INVALID_INPUT',
          user.role === 'doctor'
            ? 'This code was made by a doctor: the patient enters it (a doctor enters a patient’s code).'
            : 'This code was made by a patient: their doctor enters it (a patient enters a doctor’s code).',
          { reason },
        );
    }
  }

  function doctorAccount(id: string): User {
    const user = deps.users.get(id);
    if (user === undefined) throw new AppError('NOT_FOUND', 'No such account.');
    if (user.role !== 'doctor')
      throw new AppError(
        'INVALID_INPUT',
        `Only doctor accounts are assigned patients; this is a ${user.role} account, whose role decides what it sees.`,
      );
    return user;
  }

  function existingPatient(id: string): Patient {
    const patient = deps.patient(id);
    if (patient === undefined) throw new AppError('NOT_FOUND', 'No such patient record.');
    return patient;
  }

  return {
    createCode(user: User, expiresInMinutes: number): ConnectCode {
      const isPatient = user.role === 'patient' && user.patientId !== null;
      if (!isPatient && user.role !== 'doctor') throw new AppError('INVALID_INPUT', NOT_FOR_ROLE);
      const code = newShortCode();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + expiresInMinutes * 60_000).toISOString();
      repo.pruneCodes(new Date(now.getTime() - 86_400_000).toISOString());
      repo.insertCode({
        codeHash: hashCode(code),
        patientId: isPatient ? user.patientId : null,
        doctorId: isPatient ? null : user.id,
        createdBy: user.id,
        at: now.toISOString(),
        expiresAt,
      });
      audit.append({
        at: now.toISOString(),
        actor: user.username,
        action: 'careTeam.code',
        target: isPatient ? user.patientId : user.id,
        details: { expiresAt },
      });
      return {
        code,
        expiresAt,
        stands: isPatient ? 'patient' : 'doctor',
        doctorId: isPatient ? null : user.id,
      };
    },

    /** The caller enters the other side's code: a doctor a patient's, a patient a doctor's. */
    connect(user: User, typed: string): CareLink {
      if (user.role !== 'doctor' && !(user.role === 'patient' && user.patientId !== null))
        throw new AppError('INVALID_INPUT', NOT_FOR_ROLE);
      const key = `connect:${user.username}`;
      const waiting = deps.throttle.check(key, clock.now());
      if (waiting !== null)
        throw new AppError(
          'PERMISSION_DENIED',
          waiting.kind === 'locked'
            ? `Too many wrong connect codes: try again after ${waiting.until}.`
            : `Too many wrong connect codes: wait ${waiting.seconds} seconds before trying again.`,
        );
      const codeHash = hashCode(typed);
      const found = repo.findCode(codeHash);
      const failed = (reason: 'unknown' | 'used' | 'expired' | 'same-side'): AppError => {
        deps.throttle.fail(key, clock.now());
        return refuse(user, reason);
      };
      if (found === undefined) throw failed('unknown');
      if (found.used_at !== null) throw failed('used');
      if (Date.parse(found.expires_at) <= clock.now().getTime()) throw failed('expired');
      const isDoctor = user.role === 'doctor';
      const doctorId = isDoctor ? user.id : found.doctor_id;
      const patientId = isDoctor ? found.patient_id : user.patientId;
      if (doctorId === null || patientId === null) throw failed('same-side');
      if (!repo.useCode(codeHash, user.id, clock.iso())) throw failed('used');
      deps.throttle.clear(key);
      const link = repo.assign({ doctorId, patientId, via: 'code', by: user.id, at: clock.iso() });
      audit.append({
        at: clock.iso(),
        actor: user.username,
        action: 'careTeam.connect',
        target: patientId,
        details: { doctorId },
      });
      return link;
    },

    myPatients(user: User): Patient[] {
      return repo
        .patientIdsOf(user.id)
        .map((id) => deps.patient(id))
        .filter((p): p is Patient => p !== undefined);
    },

    list: (): CareLink[] => repo.list(),

    assign(doctorId: string, patientId: string, by: User | null): CareLink {
      doctorAccount(doctorId);
      existingPatient(patientId);
      return repo.assign({
        doctorId,
        patientId,
        via: 'admin',
        by: by?.id ?? null,
        at: clock.iso(),
      });
    },

    unassign(doctorId: string, patientId: string): boolean {
      return repo.unassign(doctorId, patientId);
    },
  };
}
export type CareTeam = ReturnType<typeof createCareTeam>;
