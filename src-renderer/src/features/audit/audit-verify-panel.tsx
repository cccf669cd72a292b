import { useState } from 'react';
import type { AuditVerificationView } from '../../../../src-shared/contract/audit.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { plural } from '../../ui/format.js';

const KIND_LABELS: Readonly<Record<AuditVerificationView['issues'][number]['kind'], string>> = {
  altered: 'Altered row',
  'broken-link': 'Broken link',
  'missing-rows': 'Missing rows',
  truncated: 'Truncated',
  'head-missing': 'Head record missing',
  'head-altered': 'Head record altered',
  'wrong-key': 'Wrong key',
};

/** "Verify chain": the same check as `neurosphere audit verify`, every problem listed. */
export function AuditVerifyPanel({ onVerified }: { onVerified: () => void }) {
  const api = useApi();
  const [result, setResult] = useState<AuditVerificationView | null>(null);
  const [isVerifying, setIsVerifying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function verify(): void {
    setIsVerifying(true);
    setError(null);
    api
      .call('audit.verify', {})
      .then(
        (verified) => {
          setResult(verified);
          onVerified();
        },
        (failure: unknown) => setError(errorMessage(failure)),
      )
      .finally(() => setIsVerifying(false));
  }

  return (
    <section className="panel" aria-labelledby="audit-verify-title" data-testid="audit-verify">
      <header className="panel-header">
        <h3 id="audit-verify-title">Integrity</h3>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          disabled={isVerifying}
          onClick={verify}
          data-testid="audit-verify-run"
        >
          {isVerifying ? 'Verifying…' : 'Verify chain'}
        </button>
      </header>
      <ErrorMessage message={error} />
      {result === null ? (
        <p className="muted small-note">
          Recomputes every row&apos;s keyed hash and the head record: finds edited, deleted,
          reordered and truncated rows.
        </p>
      ) : result.ok ? (
        <p role="status" data-testid="audit-verify-result">
          Audit trail intact: {plural(result.rows, 'row')} checked
          {result.legacyRows > 0 && ` (${result.legacyRows} written before the chain was keyed)`}.
        </p>
      ) : (
        <div data-testid="audit-verify-result">
          <p className="row-error" role="alert">
            Audit trail BROKEN: {plural(result.issues.length, 'problem')} in{' '}
            {plural(result.rows, 'row')}. Keep a copy of the data folder as it is: the log may have
            been tampered with.
          </p>
          <ul className="plain-list" data-testid="audit-verify-issues">
            {result.issues.map((issue, index) => (
              <li key={index} data-testid="audit-verify-issue">
                <strong>{KIND_LABELS[issue.kind]}</strong>
                {issue.seq !== null && ` (row ${issue.seq})`}: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
