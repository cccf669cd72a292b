import type { Route } from '../../app/routes.js';
import type { DesktopImport } from '../../app/use-desktop-import.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { DropZone } from './drop-zone.js';
import { ImportJobPanel, UploadProgressPanel } from './import-progress.js';
import { ImportSummary } from './import-summary.js';
import { useUploadImport } from './use-upload-import.js';

/** Import: drop or pick files and folders, follow the upload and the import job, read the summary. */
export function ImportPage({
  navigate,
  desktopImporter,
}: {
  navigate: (route: Route) => void;
  desktopImporter: DesktopImport;
}) {
  const importer = useUploadImport();
  const { flow } = importer;
  const isBusy = flow.phase === 'uploading' || flow.phase === 'importing';

  return (
    <section className="page-section" data-testid="import-page" aria-labelledby="import-title">
      <div className="toolbar">
        <h2 id="import-title">Import</h2>
        <span className="spacer" />
        {desktopImporter.isAvailable && (
          // The desktop app can also import in place from the disk, without copying through an upload.
          <button
            type="button"
            className="button"
            disabled={isBusy || desktopImporter.isBusy}
            onClick={() => desktopImporter.start('folder')}
          >
            Import a folder from disk…
          </button>
        )}
      </div>
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
