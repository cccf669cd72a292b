import { AppError } from '../../../src-shared/errors.js';
import { ROLE_PERMISSIONS } from '../../../src-shared/roles.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { HandlerCall } from '../router.js';
import type { AuthService } from './auth-service.js';
import { roleOf } from './principal.js';
import { filterUsers } from './user-filter.js';

type AuthMethods =
  | 'auth.status'
  | 'auth.setup'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.whoami'
  | 'auth.changePassword'
  | 'users.list'
  | 'users.create'
  | 'users.update';

function clientOf(call: HandlerCall): string {
  return call.context.client ?? call.context.transport;
}

/** Sessions and accounts. Account changes are audited; they are not clinical data. */
export function createAuthHandlers(deps: {
  auth: AuthService;
  record: CallAuditor;
}): HandlerMap<AuthMethods> {
  const { auth, record } = deps;
  return {
    'auth.status': () => ({ needsSetup: auth.needsSetup() }),
    'auth.setup': (input, call) => auth.setup(input, clientOf(call)),
    'auth.login': (input, call) => auth.login(input.username, input.password, clientOf(call)),
    'auth.logout': (_input, call) => {
      if (call.principal === null) throw new AppError('UNAUTHENTICATED', 'Not logged in.');
      return { loggedOut: auth.logout(call.principal) };
    },
    'auth.whoami': (_input, call) => {
      const principal = call.principal;
      if (principal === null || principal.kind !== 'user')
        throw new AppError('UNAUTHENTICATED', 'Not logged in as a user.');
      return { user: principal.user, permissions: [...ROLE_PERMISSIONS[roleOf(principal)]] };
    },

    'auth.changePassword': async (input, call) => {
      if (call.principal === null) throw new AppError('UNAUTHENTICATED', 'Not logged in.');
      return auth.changeOwnPassword(call.principal, input.currentPassword, input.newPassword);
    },

    'users.list': (input) => filterUsers(auth.listUsers(), input),
    'users.create': async (input, call) => {
      const user = await auth.createUser(input);
      record(call, 'users.create', user.id, {
        username: user.username,
        role: user.role,
        patientLinked: user.patientId !== null,
      });
      return user;
    },
    'users.update': async (input, call) => {
      const { id, ...changes } = input;
      const user = await auth.updateUser(id, changes);
      record(call, 'users.update', id, {
        role: changes.role,
        disabled: changes.disabled,
        passwordChanged: changes.password !== undefined,
        patientLinkChanged: changes.patientId !== undefined,
        unlocked: changes.unlock === true,
      });
      return user;
    },
  };
}
