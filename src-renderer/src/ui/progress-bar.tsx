import { formatPercent } from './format.js';

/** A determinate progress bar; `status` colours it (processing, completed, failed, cancelled). */
export function ProgressBar(props: {
  progress: number;
  status: string;
  label: string;
  testId?: string;
}) {
  return (
    <div
      className="progress-track"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(Math.min(1, Math.max(0, props.progress)) * 100)}
      aria-label={props.label}
      data-testid={props.testId}
      data-progress={props.progress}
    >
      <div
        className={`progress-fill status-${props.status}`}
        style={{ width: formatPercent(props.progress) }}
      />
    </div>
  );
}
