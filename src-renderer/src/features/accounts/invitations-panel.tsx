import { useState } from 'react';
import {
  INVITATION_HOURS,
  type Invitation,
  type IssuedInvitation,
} from '../../../../src-shared/contract/care-team.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../../src-shared/roles.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { CopyButton } from '../care-team/copy-button.js';
import { AccountRoleFields, usePatientChoices } from './role-fields.js';

const EXPIRY_CHOICES: ReadonlyArray<{ hours: number; label: string }> = [
  { hours: 24, label: '1 day' },
  { hours: INVITATION_HOURS.default, label: '3 days' },
  { hours: 24 * 7, label: '7 days' },
  { hours: INVITATION_HOURS.max, label: '30 days' },
];

/** A workstation's service account is not invited: an administrator creates it (New account). */
const INVITABLE_ROLES = ROLES.filter((r) => r !== 'workstation');

const STATUS_LABELS: Readonly<Record<Invitation['status'], string>> = {
  pending: 'Waiting',
  used: 'Used',
  expired: 'Expired',
  revoked: 'Revoked',
};

/**
 * An administrator's invitations: issue one (role, expiry, a patient record for a patient
 * account), copy its code once (only a hash is kept), revoke one not yet used, and see them all.
 */
export function InvitationsPanel() {
  const api = useApi();
  const invitations = useAsync(() => api.call('invitations.list', {}), [api]);
  const [role, setRole] = useState<Role>('viewer');
  const [hours, setHours] = useState<number>(INVITATION_HOURS.default);
  const [patientId, setPatientId] = useState('');
  const [note, setNote] = useState('');
  const [issued, setIssued] = useState<IssuedInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const patients = usePatientChoices(role);
  const ready = role !== 'patient' || patientId !== '';

  async function create(): Promise<void> {
    setIsSaving(true);
    setError(null);
    try {
      const created = await api.call('invitations.create', {
        role,
        expiresInHours: hours,
        note: note.trim(),
        ...(role === 'patient' && { patientId }),
      });
      setIssued(created);
      setNote('');
      invitations.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsSaving(false);
    }
  }

  async function revoke(invitation: Invitation): Promise<void> {
    setError(null);
    try {
      await api.call('invitations.revoke', { id: invitation.id });
      if (issued?.invitation.id === invitation.id) setIssued(null);
      invitations.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <section className="panel" aria-labelledby="invitations-title" data-testid="invitations">
      <h3 id="invitations-title" className="panel-header">
        Invitations
      </h3>
      <p className="muted small-note">
        An invitation lets one person create their own account with the role you choose, on the
        login screen under “Register with an invitation”. It works once and expires.
      </p>
      <form
        className="account-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void create();
        }}
      >
        <AccountRoleFields
          roles={INVITABLE_ROLES}
          role={role}
          onRole={setRole}
          patientId={patientId}
          onPatientId={setPatientId}
          patients={patients.data?.items ?? []}
          testIdPrefix="invite"
        />
        <label className="field">
          <span>Expires after</span>
          <select
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
            data-testid="invite-expiry"
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>For (optional note, not shown to them)</span>
          <input
            value={note}
            maxLength={200}
            onChange={(e) => setNote(e.target.value)}
            data-testid="invite-note"
          />
        </label>
        <ErrorMessage message={error ?? patients.error ?? invitations.error} />
        <div className="toolbar">
          <button
            type="submit"
            className="button primary"
            disabled={!ready || isSaving}
            data-testid="invite-create"
          >
            Create invitation
          </button>
        </div>
      </form>
      {issued !== null && (
        <div className="notice" role="status" data-testid="invite-issued">
          <p>
            Give this code to the person you invite ({ROLE_LABELS[issued.invitation.role]}, until{' '}
            {formatDate(issued.invitation.expiresAt)}). It is shown only now.
          </p>
          <p className="toolbar">
            <code className="mono" data-testid="invite-code">
              {issued.code}
            </code>
            <CopyButton text={issued.code} label="Copy code" testId="invite-copy" />
            <CopyButton
              text={issued.token}
              label="Copy token (for programs)"
              testId="invite-copy-token"
            />
          </p>
        </div>
      )}
      <div className="table-wrap">
        <table className="table compact" data-testid="invitations-table">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">For</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Created by</th>
              <th scope="col">Account</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(invitations.data ?? []).map((invitation) => (
              <tr key={invitation.id} data-testid={`invitation-${invitation.id}`}>
                <td>{ROLE_LABELS[invitation.role]}</td>
                <td>{invitation.note}</td>
                <td data-testid="invitation-status">{STATUS_LABELS[invitation.status]}</td>
                <td>{formatDate(invitation.expiresAt)}</td>
                <td>{invitation.createdBy ?? '—'}</td>
                <td className="mono">{invitation.usedBy ?? ''}</td>
                <td>
                  {invitation.status === 'pending' && (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => void revoke(invitation)}
                      data-testid="invitation-revoke"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {invitations.data?.length === 0 && <p className="muted">No invitations yet.</p>}
      </div>
    </section>
  );
}
