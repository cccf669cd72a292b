import type { Scan, Study } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { priorOf } from './hanging-protocol.js';

/**
 * Hanging protocol, the basics: when the patient has an earlier study with a series of the same
 * kind (FLAIR with FLAIR), offer it side by side, with linked slice positions.
 */
export function PriorOffer({
  scan,
  study,
  onCompare,
}: {
  scan: Scan;
  study: Study | null;
  onCompare: (scanId: string) => void;
}) {
  const api = useApi();
  const prior = useAsync(
    () =>
      scan.patientId === null
        ? Promise.resolve(null)
        : api
            .call('scans.list', {
              patientId: scan.patientId,
              limit: 100,
              sort: 'acquiredAt',
              order: 'desc',
            })
            .then((page) =>
              priorOf(
                { ...scan, acquiredAt: scan.acquiredAt ?? study?.studyDate ?? null },
                page.items,
              ),
            ),
    [api, scan.id, scan.patientId],
  );
  const found = prior.data;
  if (found === undefined || found === null) return null;
  const date = found.acquiredAt ?? found.createdAt.slice(0, 10);
  return (
    <button
      type="button"
      className="button small"
      onClick={() => onCompare(found.id)}
      title={`Show ${found.description ?? 'the earlier series'} of ${date} beside this one, scrolling together`}
      data-testid="compare-prior"
    >
      Compare with prior ({date})
    </button>
  );
}
