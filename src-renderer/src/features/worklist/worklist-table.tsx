import type { Scan } from '../../../../src-shared/contract/entities.js';
import { formatDate, formatDimensions } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { ScanThumbnail } from './scan-thumbnail.js';
import type { SortKey, WorklistState } from './worklist-query.js';

function SortHeader(props: {
  label: string;
  sortKey: SortKey;
  state: WorklistState;
  onSort: (key: SortKey) => void;
  className?: string;
}) {
  const isActive = props.state.sort === props.sortKey;
  const direction = props.state.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" className={props.className} aria-sort={isActive ? direction : 'none'}>
      <button
        type="button"
        className="sort-button"
        onClick={() => props.onSort(props.sortKey)}
        data-testid={`sort-${props.sortKey}`}
      >
        {props.label}
        <span className="sort-mark" aria-hidden="true">
          {isActive ? (props.state.order === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

/** The scans of one page; the selected row follows the keyboard. */
export function WorklistTable(props: {
  scans: readonly Scan[];
  state: WorklistState;
  selected: number;
  isLoading: boolean;
  onSort: (key: SortKey) => void;
  onSelect: (index: number) => void;
  onOpen: (scan: Scan) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table worklist" data-testid="worklist-table" aria-busy={props.isLoading}>
        <thead>
          <tr>
            <th scope="col" className="thumb-col">
              <span className="visually-hidden">Picture</span>
            </th>
            <SortHeader label="Patient" sortKey="patientName" {...props} />
            <SortHeader label="Modality" sortKey="modality" {...props} />
            <th scope="col" className="wide">
              Description
            </th>
            <th scope="col">Status</th>
            <th scope="col">Dimensions</th>
            <SortHeader label="Scan date" sortKey="acquiredAt" {...props} />
            <SortHeader label="Imported" sortKey="createdAt" {...props} />
          </tr>
        </thead>
        <tbody>
          {props.scans.map((scan, index) => (
            <tr
              key={scan.id}
              className={index === props.selected ? 'selected' : undefined}
              aria-selected={index === props.selected}
              onClick={() => props.onSelect(index)}
              onDoubleClick={() => props.onOpen(scan)}
              data-testid="scan-row"
              data-scan-id={scan.id}
            >
              <td className="thumb-col">
                <ScanThumbnail scan={scan} />
              </td>
              <td>
                <a
                  className="cell-main row-link"
                  href={`#/scans/${scan.id}`}
                  data-testid="scan-open"
                  onFocus={() => props.onSelect(index)}
                >
                  {scan.patientName ?? 'Unknown patient'}
                </a>
                {scan.patientMrn !== null && (
                  <div className="cell-sub muted">ID {scan.patientMrn}</div>
                )}
              </td>
              <td>{scan.modality ?? scan.format.toUpperCase()}</td>
              <td>{scan.description ?? <span className="muted">—</span>}</td>
              <td>
                <StatusBadge status={scan.status} testId="scan-status" />
              </td>
              <td className="numeric">{formatDimensions(scan)}</td>
              <td className="numeric">{formatDate(scan.acquiredAt)}</td>
              <td className="numeric">{formatDate(scan.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
