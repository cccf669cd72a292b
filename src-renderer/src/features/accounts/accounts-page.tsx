import { useState } from 'react';
import type { User } from '../../../../src-shared/contract/entities.js';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '../../../../src-shared/roles.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { CareTeamPanel } from './care-team-panel.js';
import { CreateUserForm } from './create-user-form.js';
import { InvitationsPanel } from './invitations-panel.js';
import { isNewPasswordReady, NewPasswordFields } from './password-fields.js';

function statusOf(user: User): string {
  if (user.disabled) return 'Disabled';
  if (user.lockedUntil !== null) return `Locked until ${formatDate(user.lockedUntil)}`;
  return 'Active';
}

/** An administrator's screen for the local accounts: create, change role, disable, unlock, reset. */
export function AccountsPage() {
  const api = useApi();
  const users = useAsync(() => api.call('users.list', {}), [api]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);

  async function update(
    user: User,
    changes: { role?: Role; disabled?: boolean; unlock?: true; password?: string },
    done: string,
  ): Promise<boolean> {
    setError(null);
    setNotice(null);
    try {
      await api.call('users.update', { id: user.id, ...changes });
      setNotice(done);
      users.reload();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    }
  }

  return (
    <section className="page-section" data-testid="accounts-page" aria-labelledby="accounts-title">
      <div className="toolbar">
        <h2 id="accounts-title">Accounts</h2>
      </div>
      <ErrorMessage message={users.error ?? error} />
      {notice !== null && (
        <p className="muted" role="status" data-testid="accounts-notice">
          {notice}
        </p>
      )}
      <section className="panel" aria-labelledby="users-title">
        <h3 id="users-title" className="panel-header">
          Users
        </h3>
        <div className="table-wrap">
          <table className="table compact" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last login</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(users.data ?? []).map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  isResetting={resetting === user.id}
                  onReset={(open) => setResetting(open ? user.id : null)}
                  update={(changes, done) => update(user, changes, done)}
                />
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <CreateUserForm
        onCreated={(user) => {
          setError(null);
          setNotice(`Created ${user.username} (${ROLE_LABELS[user.role]}).`);
          users.reload();
        }}
      />
      <InvitationsPanel />
      <CareTeamPanel refreshKey={users.data?.length ?? 0} />
      <section className="panel" aria-labelledby="roles-title">
        <h3 id="roles-title" className="panel-header">
          What each role may do
        </h3>
        <dl className="facts" data-testid="role-descriptions">
          {ROLES.map((role) => (
            <div key={role} className="fact-row">
              <dt>{ROLE_LABELS[role]}</dt>
              <dd>{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </section>
  );
}

function UserRow(props: {
  user: User;
  isResetting: boolean;
  onReset: (open: boolean) => void;
  update: (
    changes: { role?: Role; disabled?: boolean; unlock?: true; password?: string },
    done: string,
  ) => Promise<boolean>;
}) {
  const { user, update } = props;
  const self = useSession()?.user.id === user.id;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  return (
    <>
      <tr data-testid={`user-row-${user.username}`}>
        <td className="mono">{user.username}</td>
        <td>{user.displayName}</td>
        <td>
          <select
            aria-label={`Role of ${user.username}`}
            value={user.role}
            disabled={user.role === 'patient'}
            onChange={(e) =>
              void update(
                { role: e.target.value as Role },
                `${user.username} is now ${ROLE_LABELS[e.target.value as Role]}.`,
              )
            }
            data-testid={`user-role-${user.username}`}
          >
            {ROLES.filter((role) => role !== 'patient' || user.role === 'patient').map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </td>
        <td data-testid={`user-status-${user.username}`}>{statusOf(user)}</td>
        <td>{user.lastLoginAt === null ? 'Never' : formatDate(user.lastLoginAt)}</td>
        <td>
          <div className="row-actions">
            {user.lockedUntil !== null && (
              <button
                type="button"
                className="button small"
                onClick={() => void update({ unlock: true }, `${user.username} is unlocked.`)}
                data-testid={`user-unlock-${user.username}`}
              >
                Unlock
              </button>
            )}
            {!self && (
              <button
                type="button"
                className="button small"
                onClick={() =>
                  void update(
                    { disabled: !user.disabled },
                    user.disabled
                      ? `${user.username} may log in again.`
                      : `${user.username} is disabled and was logged out.`,
                  )
                }
                data-testid={`user-toggle-${user.username}`}
              >
                {user.disabled ? 'Enable' : 'Disable'}
              </button>
            )}
            <button
              type="button"
              className="button small"
              aria-expanded={props.isResetting}
              onClick={() => props.onReset(!props.isResetting)}
              data-testid={`user-reset-${user.username}`}
            >
              Reset password
            </button>
          </div>
        </td>
      </tr>
      {props.isResetting && (
        <tr>
          <td colSpan={6}>
            <form
              className="account-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (!isNewPasswordReady(password, confirm, user.username)) return;
                void update(
                  { password },
                  `${user.username}'s password was reset; their open sessions were ended.`,
                ).then((ok) => {
                  if (ok) props.onReset(false);
                });
              }}
            >
              <NewPasswordFields
                username={user.username}
                password={password}
                confirm={confirm}
                onPassword={setPassword}
                onConfirm={setConfirm}
                testIdPrefix={`reset-${user.username}`}
              />
              <div className="toolbar">
                <button
                  type="submit"
                  className="button primary"
                  disabled={!isNewPasswordReady(password, confirm, user.username)}
                  data-testid={`reset-${user.username}-save`}
                >
                  Set the new password
                </button>
                <button type="button" className="button" onClick={() => props.onReset(false)}>
                  Cancel
                </button>
              </div>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
