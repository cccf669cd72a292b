import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../ui/error-message.js';

/**
 * Asks what an amendment changes before making version N+1: the reason is printed on the new
 * version and kept in the audit log, so it cannot be empty.
 */
export function AmendDialog(props: {
  version: number;
  isBusy: boolean;
  error: string | null;
  onAmend: (changes: string) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [changes, setChanges] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);
  const isEmpty = changes.trim() === '';
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="amend-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      data-testid="amend-dialog"
    >
      <h2 id="amend-title">Amend version {props.version}</h2>
      <div className="dialog-body">
        <p>
          Version {props.version} stays as it was signed. The amendment is a new draft, version{' '}
          {props.version + 1}, that you edit and sign.
        </p>
        <label className="field">
          <span>What does the amendment change?</span>
          <textarea
            value={changes}
            maxLength={2000}
            rows={3}
            autoFocus
            placeholder="e.g. Corrected the lesion location"
            onChange={(e) => setChanges(e.target.value)}
            data-testid="amend-changes"
          />
        </label>
        <ErrorMessage message={props.error} />
      </div>
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={props.onCancel}
          data-testid="amend-cancel"
        >
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={isEmpty || props.isBusy}
          title={isEmpty ? 'Say what the amendment changes first.' : undefined}
          onClick={() => props.onAmend(changes.trim())}
          data-testid="amend-confirm"
        >
          Make version {props.version + 1}
        </button>
      </div>
    </dialog>
  );
}
