import { useRef, useState } from 'react';
import { isJobActive } from '../jobs/jobs-state.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

const POLL_MS = 400;

type Step =
  | { readonly phase: 'idle' }
  | { readonly phase: 'working'; readonly what: string }
  | { readonly phase: 'done'; readonly message: string };

/**
 * "Add label map…": uploads a NIfTI label map (e.g. a segmentation drawn in ITK-SNAP or 3D
 * Slicer) and imports it as a segmentation of this scan, through the normal upload and import
 * job, then tells the page to reload so the overlay can show it.
 */
export function AddLabelMap({ scanId, onAdded }: { scanId: string; onAdded: () => void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>({ phase: 'idle' });
  const [error, setError] = useState<string | null>(null);

  async function add(file: File): Promise<void> {
    setError(null);
    let batchId: string | null = null;
    try {
      setStep({ phase: 'working', what: `Uploading ${file.name}…` });
      const batch = await api.call('uploads.begin', {});
      batchId = batch.batchId;
      await api.upload(batch.batchId, file.name, file);
      setStep({ phase: 'working', what: 'Importing the label map…' });
      let job = await api.call('uploads.commit', {
        batchId: batch.batchId,
        segmentationOf: scanId,
      });
      batchId = null;
      while (isJobActive(job)) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await api.call('jobs.get', { id: job.id });
      }
      const report = await api.call('import.report', { id: job.id });
      const refused = report.items.find((item) => item.status === 'rejected');
      if (job.status !== 'completed' || refused !== undefined) {
        setStep({ phase: 'idle' });
        setError(refused?.reason ?? job.error?.message ?? 'The label map could not be imported.');
        return;
      }
      setStep({ phase: 'done', message: `${file.name} added as a segmentation.` });
      onAdded();
    } catch (failure) {
      if (batchId !== null) await api.call('uploads.abort', { batchId }).catch(() => undefined);
      setStep({ phase: 'idle' });
      setError(errorMessage(failure));
    }
  }

  return (
    <span className="add-label-map">
      <button
        type="button"
        className="button small"
        onClick={() => input.current?.click()}
        disabled={step.phase === 'working'}
        data-testid="add-label-map"
        title="Import a NIfTI label map drawn on this scan as a segmentation"
      >
        Add label map…
      </button>
      <input
        ref={input}
        type="file"
        accept=".nii,.gz,.nii.gz"
        hidden
        data-testid="add-label-map-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file !== undefined) void add(file);
        }}
      />
      {step.phase === 'working' && <span className="muted">{step.what}</span>}
      {step.phase === 'done' && (
        <span className="muted" data-testid="add-label-map-done">
          {step.message}
        </span>
      )}
      <ErrorMessage message={error} />
    </span>
  );
}
