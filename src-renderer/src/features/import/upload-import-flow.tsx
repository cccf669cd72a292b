import type { Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { DropZone } from './drop-zone.js';
import { ImportJobPanel, UploadProgressPanel } from './import-progress.js';
import { ImportSummary } from './import-summary.js';
import type { useUploadImport } from './use-upload-import.js';

export type UploadImporter = ReturnType<typeof useUploadImport>;

/** Whether an upload or its import job is running (drops and other imports wait). */
export function isImportBusy(importer: UploadImporter): boolean {
  return importer.flow.phase === 'uploading' || importer.flow.phase === 'importing';
}

/**
 * One browser import from start to end: the drop zone, the upload's progress, the import job's
 * progress (both cancellable) and the summary. The Import page and the patient page show it.
 */
export function UploadImportFlow({
  importer,
  navigate,
}: {
  importer: UploadImporter;
  navigate: (route: Route) => void;
}) {
  const { flow } = importer;
  return (
    <>
      {flow.phase !== 'finished' && (
        <DropZone
          onFiles={(files) => void importer.start(files)}
          isDisabled={isImportBusy(importer)}
        />
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
    </>
  );
}
