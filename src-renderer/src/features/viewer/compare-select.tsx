import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';

function scanLabel(scan: Scan): string {
  const what = scan.description ?? scan.modality ?? scan.format;
  const when = scan.acquiredAt ?? scan.createdAt.slice(0, 10);
  return `${what} · ${when} · ${scan.slices} slice${scan.slices === 1 ? '' : 's'}`;
}

/** Picks another scan of the same patient to show beside this one. */
export function CompareSelect({
  scan,
  value,
  onChange,
}: {
  scan: Scan;
  value: string | null;
  onChange: (scanId: string | null) => void;
}) {
  const api = useApi();
  const others = useAsync(
    () =>
      scan.patientId === null
        ? Promise.resolve([])
        : api
            .call('scans.list', {
              patientId: scan.patientId,
              limit: 100,
              sort: 'acquiredAt',
              order: 'desc',
            })
            .then((page) => page.items.filter((item) => item.id !== scan.id)),
    [api, scan.id, scan.patientId],
  );
  const items = others.data ?? [];
  return (
    <label className="compare-select">
      Compare with{' '}
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        disabled={items.length === 0}
        data-testid="compare-select"
        title={
          items.length === 0 ? 'This patient has no other scan' : 'Show two series side by side'
        }
      >
        <option value="">{items.length === 0 ? 'no other scan' : 'nothing'}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {scanLabel(item)}
          </option>
        ))}
      </select>
    </label>
  );
}
