import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import type { Route } from '../../app/routes.js';
import { ScanThumbnail } from '../worklist/scan-thumbnail.js';

/** The patient's other series (and images) as thumbnails, to switch between them. */
export function SeriesStrip({ scan, navigate }: { scan: Scan; navigate: (route: Route) => void }) {
  const api = useApi();
  const siblings = useAsync(
    () =>
      scan.patientId === null
        ? Promise.resolve([scan])
        : api
            .call('scans.list', {
              patientId: scan.patientId,
              limit: 100,
              sort: 'acquiredAt',
              order: 'desc',
            })
            .then((page) => page.items),
    [api, scan.id, scan.patientId],
  );
  const items = siblings.data ?? [scan];
  return (
    <nav className="series-strip" aria-label="Series of this patient" data-testid="series-strip">
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          className={`series-item${item.id === scan.id ? ' current' : ''}`}
          aria-current={item.id === scan.id ? 'true' : undefined}
          onClick={() => navigate({ page: 'scan', id: item.id })}
          data-testid="series-item"
        >
          <ScanThumbnail scan={item} sizeRem={6.3} />
          <span className="series-label">
            {item.description ?? item.modality ?? item.format.toUpperCase()}
          </span>
          <span className="series-sub muted">
            {item.slices > 1 ? `${item.slices} slices` : 'Image'}
          </span>
        </button>
      ))}
    </nav>
  );
}
