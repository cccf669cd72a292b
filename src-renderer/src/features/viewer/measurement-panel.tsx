import { useEffect, useRef, useState } from 'react';
import type { MeasuredValue } from '../../../../src-shared/contract/measurements.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { saveDownload } from '../../ui/save-download.js';
import type { MeasurementStore, ShownMeasurement } from './use-saved-measurements.js';

const KIND_NAMES: Record<ShownMeasurement['kind'], string> = {
  length: 'Length',
  ellipse: 'Ellipse',
  angle: 'Angle',
  arrow: 'Arrow',
};

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** The figures the core computed: "42.3 mm", "118 mm² · 34.2 ± 5.1 HU", "87.5°". */
export function savedFigure(values: readonly MeasuredValue[] | undefined): string {
  if (values === undefined) return 'saving…';
  const get = (name: MeasuredValue['name']) => values.find((v) => v.name === name);
  const parts: string[] = [];
  const length = get('length');
  if (length !== undefined) parts.push(`${format(length.value)} ${length.unit}`);
  const area = get('area');
  if (area !== undefined) parts.push(`${format(area.value)} ${area.unit}`);
  const mean = get('mean');
  const sd = get('sd');
  if (mean !== undefined && sd !== undefined)
    parts.push(`${format(mean.value)} ± ${format(sd.value)} ${mean.unit}`);
  const angle = get('angle');
  if (angle !== undefined) parts.push(`${angle.value.toFixed(1)}°`);
  return parts.join(' · ');
}

/** A label field that saves when the reader leaves it or presses Enter. */
function LabelField({
  measurement,
  onSave,
  autoFocus,
}: {
  measurement: ShownMeasurement;
  onSave: (label: string) => void;
  autoFocus: boolean;
}) {
  const [text, setText] = useState(measurement.label);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setText(measurement.label), [measurement.label]);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const save = (): void => {
    if (text.trim() !== measurement.label) onSave(text.trim());
  };
  return (
    <input
      ref={input}
      type="text"
      value={text}
      maxLength={200}
      placeholder={measurement.kind === 'arrow' ? 'Text of the arrow' : 'Label'}
      aria-label={`Label of the ${KIND_NAMES[measurement.kind].toLowerCase()} measurement`}
      onChange={(e) => setText(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          save();
          e.currentTarget.blur();
        }
        if (e.key === 'Escape') {
          setText(measurement.label);
          e.currentTarget.blur();
        }
      }}
      disabled={measurement.id.startsWith('pending-')}
      data-testid="measurement-label-input"
    />
  );
}

/**
 * The scan's saved measurements: each with its slice, figures, label and author. A click goes
 * to its slice and highlights it; labels are edited in place; Delete (here or in the viewer)
 * removes it; "CSV" downloads them all.
 */
export function MeasurementPanel({
  scanId,
  store,
  selectedId,
  labelFocusId,
  onSelect,
  onJump,
  canWrite,
}: {
  scanId: string;
  store: MeasurementStore;
  selectedId: string | null;
  /** A measurement whose label field takes the focus (a new arrow, to type its text). */
  labelFocusId: string | null;
  onSelect: (id: string | null) => void;
  onJump: (frame: number) => void;
  canWrite: boolean;
}) {
  const api = useApi();
  const [csvError, setCsvError] = useState<string | null>(null);
  const [isExporting, setIsExporting] = useState(false);

  function downloadCsv(): void {
    setIsExporting(true);
    setCsvError(null);
    api
      .stream('measurements.csv', { scanId })
      .then(
        ({ description, data }) =>
          saveDownload(description.fileName, data, STREAM_CONTENT_TYPES.csv),
        (failure: unknown) => setCsvError(errorMessage(failure)),
      )
      .finally(() => setIsExporting(false));
  }

  const items = [...store.items].sort((a, b) => a.frame - b.frame);
  return (
    <section
      className="panel measurements-panel"
      aria-labelledby="measurements-title"
      data-testid="measurement-panel"
    >
      <header className="panel-header">
        <h3 id="measurements-title">Measurements</h3>
        <span className="spacer" />
        <button
          type="button"
          className="button small"
          onClick={downloadCsv}
          disabled={items.length === 0 || isExporting}
          title="Download these measurements as CSV (one row each, units in the header)"
          data-testid="measurements-csv"
        >
          {isExporting ? 'Exporting…' : 'CSV'}
        </button>
      </header>
      <ErrorMessage message={store.error ?? csvError} />
      {items.length === 0 ? (
        <p className="muted small" data-testid="measurements-empty">
          {store.isLoading
            ? 'Loading…'
            : 'None yet. Draw with Length (L), Ellipse (E), Angle (A) or Arrow (T); they are saved with the scan.'}
        </p>
      ) : (
        <ul className="measurement-list">
          {items.map((m) => (
            <li
              key={m.id}
              className={`measurement-row${m.id === selectedId ? ' selected' : ''}`}
              onClick={() => {
                onJump(m.frame);
                onSelect(m.id);
              }}
              data-testid="measurement-row"
              data-measurement-id={m.id}
              data-kind={m.kind}
              data-frame={m.frame}
            >
              <span>
                <strong>{KIND_NAMES[m.kind]}</strong> · slice {m.frame + 1}
                {m.kind !== 'arrow' && (
                  <>
                    {' '}
                    · <span className="figure">{savedFigure(m.values)}</span>
                  </>
                )}
              </span>
              {canWrite && (
                <button
                  type="button"
                  className="button small danger"
                  aria-label={`Delete this ${KIND_NAMES[m.kind].toLowerCase()}`}
                  title="Delete (Delete key in the viewer when selected)"
                  onClick={(e) => {
                    e.stopPropagation();
                    store.remove(m.id);
                    if (m.id === selectedId) onSelect(null);
                  }}
                  disabled={m.id.startsWith('pending-')}
                  data-testid="measurement-delete"
                >
                  Delete
                </button>
              )}
              {canWrite ? (
                <LabelField
                  measurement={m}
                  autoFocus={m.id === labelFocusId}
                  onSave={(label) => store.update(m.id, { label })}
                />
              ) : (
                m.label !== '' && <span className="meta">{m.label}</span>
              )}
              {m.author !== undefined && (
                <span className="meta">
                  {m.author} · {formatDate(m.updatedAt ?? '')}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
