import type { WorklistFinding, WorklistSeries } from '../../../../src-shared/contract/worklist.js';
import { findingText } from './worklist-rows.js';

/** The AI finding in a cell: colour by kind, the reason on hover where there is one. */
export function FindingCell({
  finding,
  status,
}: {
  finding: WorklistFinding;
  status: WorklistSeries['status'];
}) {
  const { text, title } = findingText(finding, status);
  return (
    <span
      className={`finding finding-${finding.kind}${title === null ? '' : ' has-title'}`}
      title={title ?? undefined}
      data-testid="finding"
      data-kind={finding.kind}
    >
      {text}
    </span>
  );
}
