import { statusLabel } from './format.js';

/** A coloured status label; the colour comes from the theme per status name. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`status-badge status-${status}`} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
