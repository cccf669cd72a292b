import type { Route } from '../../app/routes.js';
import type { DesktopImport } from '../../app/use-desktop-import.js';
import { isImportBusy, UploadImportFlow } from './upload-import-flow.js';
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
  const isBusy = isImportBusy(importer);

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
      <UploadImportFlow importer={importer} navigate={navigate} />
    </section>
  );
}
