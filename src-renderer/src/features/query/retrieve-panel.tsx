import type { RetrieveTask } from '../../../../src-shared/contract/dicom-node.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { ProgressBar } from '../../ui/progress-bar.js';

const STATE_LABELS: Readonly<Record<RetrieveTask['state'], string>> = {
  running: 'Retrieving',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The retrieves of this session of the node: progress (received / expected), cancel, outcome. */
export function RetrievePanel({
  tasks,
  onCancel,
}: {
  tasks: readonly RetrieveTask[];
  onCancel: (id: string) => void;
}) {
  if (tasks.length === 0) return null;
  return (
    <fieldset className="panel" data-testid="retrieves">
      <legend>Retrieves</legend>
      <table className="table">
        <tbody>
          {tasks.map((task) => {
            const expected = task.expected;
            const progress =
              task.state === 'done'
                ? 1
                : expected === null || expected === 0
                  ? 0
                  : task.received / expected;
            return (
              <tr key={task.id} data-testid="retrieve" data-state={task.state}>
                <td>{task.label}</td>
                <td data-testid="retrieve-state">
                  {STATE_LABELS[task.state]}
                  {task.source === 'dicomweb' && <span className="muted"> (DICOMweb)</span>}
                </td>
                <td style={{ minWidth: '10rem' }}>
                  <ProgressBar
                    progress={progress}
                    status={
                      task.state === 'done'
                        ? 'completed'
                        : task.state === 'running'
                          ? 'processing'
                          : task.state
                    }
                    label={`Retrieve of ${task.label}`}
                  />
                </td>
                <td data-testid="retrieve-count">
                  {task.state === 'done' ? task.completed + task.warnings : task.received} /{' '}
                  {expected ?? '?'} instances
                </td>
                <td>
                  {task.state === 'running' && (
                    <button
                      type="button"
                      className="button small"
                      data-testid="retrieve-cancel"
                      onClick={() => onCancel(task.id)}
                    >
                      Cancel
                    </button>
                  )}
                  {task.state === 'done' && task.scanIds.length > 0 && (
                    <a href="#/worklist" className="button small" data-testid="retrieve-open">
                      Open the worklist
                    </a>
                  )}
                  {task.error !== null && (
                    <ErrorMessage message={task.error} testId="retrieve-error" />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}
