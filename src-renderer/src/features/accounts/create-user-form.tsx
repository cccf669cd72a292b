import { useState } from 'react';
import type { User } from '../../../../src-shared/contract/entities.js';
import { ROLES, type Role } from '../../../../src-shared/roles.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { isNewPasswordReady, NewPasswordFields } from './password-fields.js';
import { AccountRoleFields, usePatientChoices } from './role-fields.js';

/** A new local account; a patient account is linked to its patient record. */
export function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const api = useApi();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [patientId, setPatientId] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const patients = usePatientChoices(role);
  const ready =
    username.trim().length >= 2 &&
    isNewPasswordReady(password, confirm, username) &&
    (role !== 'patient' || patientId !== '');

  async function create(): Promise<void> {
    setIsSaving(true);
    setError(null);
    try {
      const user = await api.call('users.create', {
        username: username.trim(),
        password,
        role,
        ...(displayName.trim() !== '' && { displayName: displayName.trim() }),
        ...(role === 'patient' && { patientId }),
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setConfirm('');
      setPatientId('');
      onCreated(user);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="create-user-title" data-testid="create-user">
      <h3 id="create-user-title" className="panel-header">
        New account
      </h3>
      <form
        className="account-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void create();
        }}
      >
        <label className="field">
          <span>Username</span>
          <input
            value={username}
            maxLength={64}
            autoComplete="off"
            onChange={(e) => setUsername(e.target.value)}
            data-testid="create-username"
          />
        </label>
        <label className="field">
          <span>Full name (optional)</span>
          <input
            value={displayName}
            maxLength={200}
            onChange={(e) => setDisplayName(e.target.value)}
            data-testid="create-display-name"
          />
        </label>
        <AccountRoleFields
          roles={ROLES}
          role={role}
          onRole={setRole}
          patientId={patientId}
          onPatientId={setPatientId}
          patients={patients.data?.items ?? []}
          testIdPrefix="create"
        />
        <NewPasswordFields
          username={username}
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          testIdPrefix="create-password"
        />
        <ErrorMessage message={error ?? patients.error} />
        <div className="toolbar">
          <button
            type="submit"
            className="button primary"
            disabled={!ready || isSaving}
            data-testid="create-user-save"
          >
            Create account
          </button>
        </div>
      </form>
    </section>
  );
}
