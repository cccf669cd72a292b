import type { User } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { HandlerCall } from '../router.js';
import type { CareTeam } from './care-team.js';
import type { Invitations } from './invitations.js';

type CareTeamMethods =
  | 'invitations.create'
  | 'invitations.list'
  | 'invitations.revoke'
  | 'auth.register'
  | 'careTeam.createCode'
  | 'careTeam.connect'
  | 'careTeam.myPatients'
  | 'careTeam.list'
  | 'careTeam.assign'
  | 'careTeam.unassign';

/** The calling account; codes and care teams belong to accounts, not to the CLI's operator. */
function userOf(call: HandlerCall): User {
  if (call.principal?.kind !== 'user')
    throw new AppError('INVALID_INPUT', 'Only a logged-in account has connect codes and patients.');
  return call.principal.user;
}

function actingUser(call: HandlerCall): User | null {
  return call.principal?.kind === 'user' ? call.principal.user : null;
}

/** Invitations, registration, connect codes and care teams; every change is audited. */
export function createCareTeamHandlers(deps: {
  invitations: Invitations;
  careTeam: CareTeam;
  record: CallAuditor;
}): HandlerMap<CareTeamMethods> {
  const { invitations, careTeam, record } = deps;
  return {
    'invitations.create': (input, call) => {
      const issued = invitations.create(input, actingUser(call));
      // The secrets are never audited; the patient link only as a yes/no (no PHI in the trail).
      record(call, 'invitations.create', issued.invitation.id, {
        role: input.role,
        expiresAt: issued.invitation.expiresAt,
        patientLinked: issued.invitation.patientId !== null,
      });
      return issued;
    },
    'invitations.list': () => invitations.list(),
    'invitations.revoke': (input, call) => {
      const revoked = invitations.revoke(input.id);
      record(call, 'invitations.revoke', input.id);
      return revoked;
    },
    'auth.register': (input, call) =>
      invitations.register(input, call.context.client ?? call.context.transport),

    'careTeam.createCode': (input, call) =>
      careTeam.createCode(userOf(call), input.expiresInMinutes),
    'careTeam.connect': (input, call) => careTeam.connect(userOf(call), input.code),
    'careTeam.myPatients': (_input, call) => {
      const patients = careTeam.myPatients(userOf(call));
      record(call, 'careTeam.myPatients', null, { count: patients.length });
      return patients;
    },
    'careTeam.list': () => careTeam.list(),
    'careTeam.assign': (input, call) => {
      const link = careTeam.assign(input.doctorId, input.patientId, actingUser(call));
      record(call, 'careTeam.assign', input.patientId, { doctorId: input.doctorId });
      return link;
    },
    'careTeam.unassign': (input, call) => {
      const removed = careTeam.unassign(input.doctorId, input.patientId);
      record(call, 'careTeam.unassign', input.patientId, { doctorId: input.doctorId, removed });
      return { removed };
    },
  };
}
