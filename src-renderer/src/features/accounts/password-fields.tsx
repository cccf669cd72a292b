import { PASSWORD_MIN_LENGTH, passwordProblems } from '../../../../src-shared/password-policy.js';

/** The policy in one line, shown beside every new-password field. */
export const POLICY_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; not the username, not a common password, no "aaaa…" or "1234…". A few words make a good one.`;

/** A new password and its confirmation, with the policy's reasons shown as the user types. */
export function NewPasswordFields(props: {
  username: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  testIdPrefix: string;
}) {
  const problems = props.password === '' ? [] : passwordProblems(props.password, props.username);
  const mismatch = props.confirm !== '' && props.confirm !== props.password;
  return (
    <>
      <label className="field">
        <span>New password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          data-testid={`${props.testIdPrefix}-new`}
        />
      </label>
      <label className="field">
        <span>Repeat the new password</span>
        <input
          type="password"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(e) => props.onConfirm(e.target.value)}
          data-testid={`${props.testIdPrefix}-confirm`}
        />
      </label>
      <p className="muted small-note">{POLICY_HINT}</p>
      {problems.length > 0 && (
        <ul className="row-error plain-list" data-testid={`${props.testIdPrefix}-problems`}>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {mismatch && <p className="row-error">The two passwords differ.</p>}
    </>
  );
}

/** Whether a new password may be sent: it passes the policy and both fields agree. */
export function isNewPasswordReady(password: string, confirm: string, username: string): boolean {
  return (
    password !== '' && password === confirm && passwordProblems(password, username).length === 0
  );
}
