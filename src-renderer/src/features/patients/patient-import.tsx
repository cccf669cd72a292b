import type { Route } from '../../app/routes.js';
import { UploadImportFlow } from '../import/upload-import-flow.js';
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
  return (
    <section className="panel" aria-labelledby="patient-import-title" data-testid="patient-import">
      <h3 id="patient-import-title">Import for {patientName}</h3>
      <p className="muted">
        Scans imported here are filed under this patient, also DICOM files whose headers name
        another.
      </p>
      <UploadImportFlow importer={importer} navigate={navigate} />
    </section>
  );
}
