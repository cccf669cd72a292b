import type { Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { DropZone } from '../import/drop-zone.js';
import { ImportJobPanel, UploadProgressPanel } from '../import/import-progress.js';
import { ImportSummary } from '../import/import-summary.js';
import { useUploadImport } from '../import/use-upload-import.js';

/**
 * Import from the patient page: what is dropped or picked here goes to this patient, whatever
 * its files say (DICOM headers included), as with the CLI's `import --patient`.
 */
export function PatientImport({
  patientId,
  patientName,
  navigate,
}: {
  patientId: string;
  patientName: string;
  navigate: (route: Route) => void;
}) {
  const importer = useUploadImport(patientId);
  const { flow } = importer;
  const isBusy = flow.phase === 'uploading' || flow.phase === 'importing';
  return (
    <section className="panel" aria-labelledby="patient-import-title" data-testid="patient-import">
      <h3 id="patient-import-title">Import for {patientName}</h3>
      <p className="muted">
        Scans imported here are filed under this patient, also DICOM files whose headers name
        another.
      </p>
      {flow.phase !== 'finished' && (
        <DropZone onFiles={(files) => void importer.start(files)} isDisabled={isBusy} />
      )}
      <ErrorMessage message={importer.actionError} />
      {flow.phase === 'uploading' && (
        <UploadProgressPanel
          progress={flow.progress}
          isCancelling={flow.isCancelling}
          onCancel={() => void importer.cancel()}
        />
      )}
      {flow.phase === 'importing' && (
        <ImportJobPanel
          job={flow.job}
          isCancelling={flow.isCancelling}
          onCancel={() => void importer.cancel()}
        />
      )}
      {flow.phase === 'finished' && (
        <ImportSummary
          job={flow.job}
          report={flow.report}
          message={flow.message}
          localRejections={importer.localRejections}
          stagingRoot={importer.stagingRoot}
          onOpenWorklist={() => navigate({ page: 'worklist' })}
          onImportMore={importer.reset}
        />
      )}
    </section>
  );
}
