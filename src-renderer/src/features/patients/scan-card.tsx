import type { Scan } from '../../../../src-shared/contract/entities.js';
import { formatDimensions } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { ScanThumbnail } from '../worklist/scan-thumbnail.js';

/** One scan of a patient as a card: thumbnail, description, size and status; opens the scan. */
export function ScanCard({ scan }: { scan: Scan }) {
  return (
    <li>
      <a className="scan-card" href={`#/scans/${scan.id}`} data-testid="patient-scan">
        <ScanThumbnail scan={scan} sizeRem={5.2} />
        <span>
          <span className="cell-main">{scan.description ?? scan.modality ?? scan.format}</span>
          <span className="cell-sub muted">{formatDimensions(scan)}</span>
          <StatusBadge status={scan.status} />
        </span>
      </a>
    </li>
  );
}
