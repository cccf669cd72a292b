import { useEffect, useRef, useState } from 'react';
import type { DentalFolder } from '../../../../src-shared/contract/dental.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import {
  emptyProgress,
  MAX_CBCT_FILES,
  planDentalUpload,
  sendDentalFiles,
  type DentalPart,
  type PartProgress,
} from './dental-upload.js';

const PART_LABELS: Readonly<Record<DentalPart, string>> = {
  upper: 'Upper jaw STL',
  lower: 'Lower jaw STL',
  cbct: 'CBCT',
};

type Phase =
  | { readonly kind: 'editing' }
  | { readonly kind: 'uploading'; readonly progress: PartProgress; readonly isCancelling: boolean }
  | { readonly kind: 'creating' };

function clone(progress: PartProgress): PartProgress {
  return {
    upper: { ...progress.upper },
    lower: { ...progress.lower },
    cbct: { ...progress.cbct },
  };
}

/**
 * The seed's upload form: name, patient, folder, upper and lower STL, a CBCT as a NIfTI file or
 * a DICOM folder (directory picker, up to 1,500 files). The parts go through the upload stream
 * into one batch (progress per part, Cancel), then `dental.cases.createFromUpload` stores the
 * STLs and starts the CBCT's import job; the case page follows that job.
 */
export function NewDentalCaseForm(props: {
  folders: readonly DentalFolder[];
  onClose: () => void;
  onCreated: (caseId: string) => void;
}) {
  const api = useApi();
  const mayReadPatients = useCan('patients.read');
  const patients = useAsync(
    () =>
      mayReadPatients
        ? api.call('patients.list', { limit: 200 })
        : Promise.resolve({ items: [] as { id: string; name: string; mrn: string | null }[] }),
    [api, mayReadPatients],
  );
  const [name, setName] = useState('');
  const [patientId, setPatientId] = useState('');
  const [folderId, setFolderId] = useState('');
  const [upper, setUpper] = useState<File | null>(null);
  const [lower, setLower] = useState<File | null>(null);
  const [cbctKind, setCbctKind] = useState<'file' | 'folder'>('folder');
  const [cbct, setCbct] = useState<readonly File[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  // React does not pass `webkitdirectory` through: set on the element itself.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
    folderInput.current?.setAttribute('directory', '');
  }, [cbctKind]);
  useEffect(() => () => abort.current?.abort(), []);

  async function submit(): Promise<void> {
    setError(null);
    if (name.trim() === '') {
      setError('Give the case a name.');
      return;
    }
    const plan = planDentalUpload({ upper, lower, cbct });
    if (plan.error !== null) {
      setError(plan.error);
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    const progress = emptyProgress(plan.files);
    setPhase({ kind: 'uploading', progress: clone(progress), isCancelling: false });
    const timer = setInterval(() => {
      setPhase((current) =>
        current.kind === 'uploading' ? { ...current, progress: clone(progress) } : current,
      );
    }, 200);
    let batchId: string | null = null;
    try {
      const batch = await api.call('uploads.begin', {});
      batchId = batch.batchId;
      const tooLarge = plan.files.find((f) => f.file.size > batch.maxFileBytes);
      if (tooLarge !== undefined)
        throw new Error(
          `${tooLarge.file.name} is ${formatBytes(tooLarge.file.size)}; one file may be at most ${formatBytes(batch.maxFileBytes)}.`,
        );
      await sendDentalFiles(api, batch.batchId, plan.files, progress, controller.signal);
      clearInterval(timer);
      setPhase({ kind: 'creating' });
      const created = await api.call('dental.cases.createFromUpload', {
        batchId: batch.batchId,
        name: name.trim(),
        ...(patientId !== '' && { patientId }),
        ...(folderId !== '' && { folderId }),
      });
      batchId = null;
      props.onCreated(created.id);
    } catch (failure) {
      clearInterval(timer);
      if (batchId !== null) await api.call('uploads.abort', { batchId }).catch(() => undefined);
      setPhase({ kind: 'editing' });
      setError(
        controller.signal.aborted
          ? 'The upload was cancelled; nothing was stored.'
          : errorMessage(failure),
      );
    } finally {
      abort.current = null;
    }
  }

  const isBusy = phase.kind !== 'editing';
  return (
    <form
      className="card dental-new-case"
      data-testid="dental-new-case"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>New dental case</h2>
      <fieldset disabled={isBusy} className="dental-form-fields">
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            data-testid="dental-new-name"
          />
        </label>
        {mayReadPatients && (
          <label className="field">
            <span>Patient</span>
            <select
              value={patientId}
              onChange={(e) => setPatientId(e.target.value)}
              data-testid="dental-new-patient"
            >
              <option value="">No patient</option>
              {patients.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.mrn !== null ? ` (${p.mrn})` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Folder</span>
          <select
            value={folderId}
            onChange={(e) => setFolderId(e.target.value)}
            data-testid="dental-new-folder"
          >
            <option value="">No folder</option>
            {props.folders.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Upper jaw scan (STL)</span>
          <input
            type="file"
            accept=".stl"
            onChange={(e) => setUpper(e.target.files?.[0] ?? null)}
            data-testid="dental-new-upper"
          />
        </label>
        <label className="field">
          <span>Lower jaw scan (STL)</span>
          <input
            type="file"
            accept=".stl"
            onChange={(e) => setLower(e.target.files?.[0] ?? null)}
            data-testid="dental-new-lower"
          />
        </label>
        <div className="field">
          <span>CBCT</span>
          <label className="inline-field">
            <input
              type="radio"
              name="cbct-kind"
              checked={cbctKind === 'folder'}
              onChange={() => {
                setCbctKind('folder');
                setCbct([]);
              }}
            />
            DICOM folder (up to {MAX_CBCT_FILES.toLocaleString('en')} files)
          </label>
          <label className="inline-field">
            <input
              type="radio"
              name="cbct-kind"
              checked={cbctKind === 'file'}
              onChange={() => {
                setCbctKind('file');
                setCbct([]);
              }}
              data-testid="dental-new-cbct-kind-file"
            />
            NIfTI file (.nii, .nii.gz)
          </label>
          {cbctKind === 'folder' ? (
            <input
              key="folder"
              ref={folderInput}
              type="file"
              multiple
              aria-label="CBCT DICOM folder"
              onChange={(e) => setCbct([...(e.target.files ?? [])])}
              data-testid="dental-new-cbct-folder"
            />
          ) : (
            <input
              key="file"
              type="file"
              accept=".nii,.gz"
              aria-label="CBCT NIfTI file"
              onChange={(e) => setCbct([...(e.target.files ?? [])])}
              data-testid="dental-new-cbct-file"
            />
          )}
          {cbct.length > 0 && (
            <span className="muted" data-testid="dental-new-cbct-count">
              {cbct.length.toLocaleString('en')} file{cbct.length === 1 ? '' : 's'},{' '}
              {formatBytes(cbct.reduce((n, f) => n + f.size, 0))}
            </span>
          )}
        </div>
      </fieldset>
      {phase.kind === 'uploading' && (
        <div className="dental-upload-progress" data-testid="dental-upload-progress">
          {(['upper', 'lower', 'cbct'] as const)
            .filter((part) => phase.progress[part].total > 0)
            .map((part) => {
              const p = phase.progress[part];
              return (
                <div key={part} className="dental-part-progress">
                  <span>
                    {PART_LABELS[part]}: {formatBytes(p.sent)} of {formatBytes(p.total)}
                  </span>
                  <ProgressBar
                    progress={p.total === 0 ? 1 : p.sent / p.total}
                    status="processing"
                    label={`${PART_LABELS[part]} upload`}
                    testId={`dental-upload-${part}`}
                  />
                </div>
              );
            })}
        </div>
      )}
      {phase.kind === 'creating' && (
        <p className="muted" data-testid="dental-creating">
          Checking the STLs and starting the CBCT import…
        </p>
      )}
      {error !== null && <ErrorMessage message={error} />}
      <div className="actions">
        {phase.kind === 'uploading' ? (
          <button
            type="button"
            disabled={phase.isCancelling}
            onClick={() => {
              setPhase({ ...phase, isCancelling: true });
              abort.current?.abort();
            }}
            data-testid="dental-upload-cancel"
          >
            Cancel upload
          </button>
        ) : (
          <>
            <button type="submit" disabled={isBusy} data-testid="dental-new-submit">
              Upload and create
            </button>
            <button type="button" disabled={isBusy} onClick={props.onClose}>
              Close
            </button>
          </>
        )}
      </div>
    </form>
  );
}
