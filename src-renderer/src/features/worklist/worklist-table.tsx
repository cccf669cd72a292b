import type { WorklistSeries, WorklistStudy } from '../../../../src-shared/contract/worklist.js';
import { formatDate, formatDimensions } from '../../ui/format.js';
import { FindingCell } from './finding-cell.js';
import { ReportCell } from './report-cell.js';
import { reportText, studyReportText } from './report-status.js';
import { ScanThumbnail } from './scan-thumbnail.js';
import type { SortKey, WorklistState } from './worklist-query.js';
import {
  scanToOpen,
  studyFinding,
  studyModalities,
  studySeriesToOpen,
  studyStatus,
  type WorklistRow,
} from './worklist-rows.js';

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

const dash = <span className="muted">—</span>;

function thumbnailOf(series: WorklistSeries) {
  return {
    id: series.scanId,
    slices: series.slices,
    modality: series.modality,
    format: series.format,
  };
}

function StudyCells(props: {
  study: WorklistStudy;
  isExpanded: boolean;
  onToggle: () => void;
  onFocus: () => void;
}) {
  const { study } = props;
  const first = study.series[0];
  // The series the study opens (its FLAIR for a brain MR) is the one pictured.
  const preferred = studySeriesToOpen(study);
  const opens = preferred?.scanId;
  // A picture or volume without a DICOM study: its own description stands for the study's.
  const description = study.description ?? (study.studyId === null ? first?.description : null);
  const matching =
    study.series.length === study.seriesTotal
      ? String(study.seriesTotal)
      : `${study.series.length} of ${study.seriesTotal}`;
  return (
    <>
      <td className="tree-col">
        <button
          type="button"
          className="tree-toggle"
          aria-label={props.isExpanded ? 'Hide the series' : 'Show the series'}
          aria-expanded={props.isExpanded}
          tabIndex={-1}
          onClick={(event) => {
            event.stopPropagation();
            props.onToggle();
          }}
          data-testid="study-expand"
        >
          {props.isExpanded ? '▾' : '▸'}
        </button>
      </td>
      <td className="thumb-col">
        {preferred !== null && <ScanThumbnail scan={thumbnailOf(preferred)} sizeRem={2.6} />}
      </td>
      <td className="patient-col">
        <a
          className="row-link"
          href={opens === undefined ? undefined : `#/scans/${opens}`}
          data-testid="scan-open"
          data-row-focus=""
          onFocus={props.onFocus}
        >
          {study.patientName ?? 'Unknown patient'}
        </a>
      </td>
      <td className="mono id-col" data-testid="study-patient-id">
        {study.patientMrn ?? dash}
      </td>
      <td className="numeric">{formatDate(study.studyDate)}</td>
      <td className="description-col" data-testid="study-description">
        {description ?? dash}
      </td>
      <td>{studyModalities(study)}</td>
      <td
        className="numeric"
        data-testid="study-series-count"
        title="Series shown of the study's series"
      >
        {matching}
      </td>
      <td>
        <FindingCell finding={studyFinding(study)} status={studyStatus(study)} />
      </td>
      <td>
        <ReportCell report={studyReportText(study)} />
      </td>
      <td className="numeric">{formatDate(study.importedAt)}</td>
    </>
  );
}

function SeriesCells(props: { series: WorklistSeries; onFocus: () => void }) {
  const { series } = props;
  return (
    <>
      <td className="tree-col">
        <span className="tree-guide" aria-hidden="true" />
      </td>
      <td className="thumb-col">
        <ScanThumbnail scan={thumbnailOf(series)} sizeRem={2.6} />
      </td>
      <td colSpan={2} className="series-col">
        <a
          className="series-link"
          href={`#/scans/${series.scanId}`}
          data-testid="series-open"
          data-row-focus=""
          onFocus={props.onFocus}
        >
          {series.seriesNumber === null ? 'Series' : `Series ${series.seriesNumber}`}
        </a>
      </td>
      <td className="numeric">{formatDate(series.acquiredAt)}</td>
      <td className="description-col" data-testid="series-description">
        {series.description ?? dash}
      </td>
      <td>{series.modality ?? series.format.toUpperCase()}</td>
      <td className="numeric" title={formatDimensions(series)} data-testid="series-slices">
        {series.slices === 1 ? '1 image' : `${series.slices} slices`}
      </td>
      <td>
        <FindingCell finding={series.finding} status={series.status} />
      </td>
      <td>
        <ReportCell report={reportText(series.report)} />
      </td>
      <td className="numeric">{formatDate(series.importedAt)}</td>
    </>
  );
}

/** Studies of one page with their series when expanded; the selected row follows the keyboard. */
export function WorklistTable(props: {
  rows: readonly WorklistRow[];
  expanded: ReadonlySet<string>;
  state: WorklistState;
  selected: number;
  isLoading: boolean;
  onSort: (key: SortKey) => void;
  onSelect: (index: number) => void;
  onToggle: (key: string) => void;
  onOpen: (scanId: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table worklist" data-testid="worklist-table" aria-busy={props.isLoading}>
        <thead>
          <tr>
            <th scope="col" className="tree-col">
              <span className="visually-hidden">Expand</span>
            </th>
            <th scope="col" className="thumb-col">
              <span className="visually-hidden">Picture</span>
            </th>
            <SortHeader label="Patient" sortKey="patientName" {...props} />
            <th scope="col">Patient ID</th>
            <SortHeader label="Date" sortKey="acquiredAt" {...props} />
            <th scope="col" className="description-col">
              Description
            </th>
            <SortHeader label="Mod." sortKey="modality" {...props} />
            <th scope="col">Series</th>
            <th scope="col">AI finding</th>
            <th scope="col">Report</th>
            <SortHeader label="Imported" sortKey="createdAt" {...props} />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => {
            const isSelected = index === props.selected;
            const open = (): void => {
              const scanId = scanToOpen(row);
              if (scanId !== null) props.onOpen(scanId);
            };
            return row.kind === 'study' ? (
              <tr
                key={`study-${row.study.key}`}
                className={`study-row${isSelected ? ' selected' : ''}`}
                aria-selected={isSelected}
                aria-expanded={props.expanded.has(row.study.key)}
                onClick={() => props.onSelect(index)}
                onDoubleClick={open}
                data-testid="study-row"
                data-study-key={row.study.key}
              >
                <StudyCells
                  study={row.study}
                  isExpanded={props.expanded.has(row.study.key)}
                  onToggle={() => {
                    // The toggled study becomes the selection, so the keys go on from there.
                    props.onSelect(index);
                    props.onToggle(row.study.key);
                  }}
                  onFocus={() => props.onSelect(index)}
                />
              </tr>
            ) : (
              <tr
                key={`series-${row.series.scanId}`}
                className={`series-row${isSelected ? ' selected' : ''}`}
                aria-selected={isSelected}
                onClick={() => props.onSelect(index)}
                onDoubleClick={open}
                data-testid="series-row"
                data-scan-id={row.series.scanId}
              >
                <SeriesCells series={row.series} onFocus={() => props.onSelect(index)} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
