import { useEffect, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly isBusy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly testId: string;
}

/**
 * A modal question before a destructive action. Uses the native <dialog>: focus is trapped and
 * Escape cancels. Cancel has the focus, so a stray Enter does not destroy anything.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    cancelButton.current?.focus();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${props.testId}-title`}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      data-testid={props.testId}
    >
      <h2 id={`${props.testId}-title`}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        <button
          ref={cancelButton}
          type="button"
          className="button"
          onClick={props.onCancel}
          data-testid={`${props.testId}-cancel`}
        >
          Cancel
        </button>
        <button
          type="button"
          className="button danger-solid"
          disabled={props.isBusy === true}
          onClick={props.onConfirm}
          data-testid={`${props.testId}-confirm`}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
