import { useEffect, useRef, useState } from 'react';
import type { DeidDateMode } from '../../../../src-shared/contract/deidentify.js';
import { STREAM_CONTENT_TYPES, streams } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { saveDownload } from '../../ui/save-download.js';

const DATE_CHOICES: ReadonlyArray<{ value: DeidDateMode; label: string }> = [
  { value: 'off', label: 'Remove dates (basic profile)' },
  { value: 'offset', label: 'Shift dates by a fixed offset per patient' },
  { value: 'full', label: 'Keep dates' },
];

/**
 * "De-identified export…": the scan's series or its whole study as de-identified DICOM in a ZIP
 * (stream `deidentify.export`, docs/deidentification.md), with the profile's options. Images
 * that may show text in their pixels are refused by the core; the dialog then says why and asks
 * the user to confirm they checked them.
 */
export function DeidentifyDialog({
  scanId,
  studyId,
  onClose,
}: {
  scanId: string;
  studyId: string | null;
  onClose: () => void;
}) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const running = useRef<AbortController | null>(null);
  const [scope, setScope] = useState<'scan' | 'study'>('scan');
  const [dates, setDates] = useState<DeidDateMode>('off');
  const [retainUids, setRetainUids] = useState(false);
  const [retainPatientCharacteristics, setRetainPatientCharacteristics] = useState(false);
  const [includeResults, setIncludeResults] = useState(false);
  const [burnedInRefusal, setBurnedInRefusal] = useState<string | null>(null);
  const [allowBurnedIn, setAllowBurnedIn] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => running.current?.abort();
  }, []);

  function start(): void {
    const controller = new AbortController();
    running.current = controller;
    setIsBusy(true);
    setError(null);
    setSaved(null);
    api
      .stream(
        'deidentify.export',
        {
          kind: scope,
          id: scope === 'scan' || studyId === null ? scanId : studyId,
          dates,
          retainUids,
          retainPatientCharacteristics,
          includeResults,
          allowBurnedIn,
        },
        { signal: controller.signal },
      )
      .then(
        ({ description, data }) => {
          saveDownload(
            description.fileName,
            data,
            STREAM_CONTENT_TYPES[streams['deidentify.export'].response.kind],
          );
          setBurnedInRefusal(null);
          setSaved(
            [
              `Saved ${description.fileName}: ${description.files} DICOM files as ${description.pseudonymIds.join(', ')}.`,
              ...description.notes,
            ].join(' '),
          );
        },
        (failure: unknown) => {
          if (isApiError(failure) && failure.code === 'CANCELLED') return;
          if (isApiError(failure) && failure.code === 'CONFLICT') {
            setBurnedInRefusal(failure.message);
            return;
          }
          setError(errorMessage(failure));
        },
      )
      .finally(() => {
        if (running.current === controller) running.current = null;
        setIsBusy(false);
      });
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="deidentify-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      data-testid="deidentify-dialog"
    >
      <h2 id="deidentify-title">De-identified export</h2>
      <div className="dialog-body deidentify-options">
        <p className="muted">
          DICOM files with the patient&apos;s name and ID replaced by a pseudonym kept on this
          machine, and the other identifying attributes removed (DICOM PS3.15 Annex E basic
          profile).
        </p>
        <fieldset>
          <legend>What</legend>
          <label>
            <input
              type="radio"
              name="deid-scope"
              checked={scope === 'scan'}
              onChange={() => setScope('scan')}
              data-testid="deid-scope-scan"
            />{' '}
            This series
          </label>
          <label>
            <input
              type="radio"
              name="deid-scope"
              checked={scope === 'study'}
              disabled={studyId === null}
              onChange={() => setScope('study')}
              data-testid="deid-scope-study"
            />{' '}
            The whole study
          </label>
        </fieldset>
        <label>
          Dates{' '}
          <select
            value={dates}
            onChange={(e) => setDates(e.target.value as DeidDateMode)}
            data-testid="deid-dates"
          >
            {DATE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={retainPatientCharacteristics}
            onChange={(e) => setRetainPatientCharacteristics(e.target.checked)}
            data-testid="deid-patient-characteristics"
          />{' '}
          Keep age, sex, size and weight
        </label>
        <label>
          <input
            type="checkbox"
            checked={retainUids}
            onChange={(e) => setRetainUids(e.target.checked)}
            data-testid="deid-retain-uids"
          />{' '}
          Keep the original UIDs
        </label>
        <label>
          <input
            type="checkbox"
            checked={includeResults}
            onChange={(e) => setIncludeResults(e.target.checked)}
            data-testid="deid-include-results"
          />{' '}
          Include the analysis mask as DICOM SEG
        </label>
        {burnedInRefusal !== null && (
          <div className="row-error" role="alert" data-testid="deid-burned-in">
            <p>{burnedInRefusal}</p>
            <label>
              <input
                type="checkbox"
                checked={allowBurnedIn}
                onChange={(e) => setAllowBurnedIn(e.target.checked)}
                data-testid="deid-allow-burned-in"
              />{' '}
              I checked these images: export them anyway
            </label>
          </div>
        )}
        <ErrorMessage message={error} />
        {saved !== null && (
          <p className="muted" role="status" data-testid="deid-saved">
            {saved}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={() => (isBusy ? running.current?.abort() : onClose())}
          data-testid="deid-close"
        >
          {isBusy ? 'Cancel' : 'Close'}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={isBusy || (burnedInRefusal !== null && !allowBurnedIn)}
          onClick={start}
          data-testid="deid-export"
        >
          {isBusy ? 'Preparing…' : 'Export ZIP'}
        </button>
      </div>
    </dialog>
  );
}
