import type { MethodOutput } from '../../../../src-shared/contract/methods.js';
import type { FrameInfo } from '../../../../src-shared/contract/frames.js';
import { formatBytes, formatDate, formatDimensions } from '../../ui/format.js';

type ScanDetail = MethodOutput<'scans.get'>;

function Row({ label, value }: { label: string; value: string | number | null | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={typeof value === 'string' && value.length > 24 ? 'mono' : undefined}>
        {value === null || value === undefined || value === '' ? '—' : value}
      </dd>
    </>
  );
}

/** The DICOM attributes Neurosphere keeps for the scan and those of the frame on screen. */
export function AttributePanel({ detail, frame }: { detail: ScanDetail; frame: FrameInfo | null }) {
  const { scan, study, series, instances, files } = detail;
  const first = instances[0];
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return (
    <section
      className="panel attributes"
      aria-labelledby="attributes-title"
      data-testid="attribute-panel"
    >
      <h3 id="attributes-title">Attributes</h3>
      <dl className="facts small">
        <Row label="Patient" value={scan.patientName} />
        <Row label="Patient ID" value={scan.patientMrn} />
        <Row label="Modality" value={scan.modality ?? scan.format.toUpperCase()} />
        <Row label="Study date" value={formatDate(study?.studyDate ?? scan.acquiredAt)} />
        <Row label="Study" value={study?.description} />
        <Row label="Accession" value={study?.accessionNumber} />
        <Row label="Series" value={series?.description ?? scan.description} />
        <Row label="Series number" value={series?.seriesNumber} />
        <Row label="Matrix" value={formatDimensions(scan)} />
        <Row label="Instances" value={instances.length > 0 ? instances.length : null} />
        <Row label="Transfer syntax" value={first?.transferSyntaxUid} />
        <Row label="Study UID" value={study?.studyInstanceUid} />
        <Row label="Series UID" value={series?.seriesInstanceUid} />
        {frame !== null && (
          <>
            <Row label="Photometric" value={frame.photometric} />
            <Row
              label="Stored as"
              value={`${frame.dtype}, ${frame.samplesPerPixel} sample${frame.samplesPerPixel === 1 ? '' : 's'}`}
            />
            <Row label="Rescale" value={`× ${frame.rescaleSlope} + ${frame.rescaleIntercept}`} />
            <Row
              label="Window (file)"
              value={
                frame.windowWidth === null
                  ? null
                  : `C ${frame.windowCenter ?? ''} / W ${frame.windowWidth}`
              }
            />
            <Row
              label="Pixel spacing"
              value={
                frame.pixelSpacing === null
                  ? null
                  : `${frame.pixelSpacing[0]} × ${frame.pixelSpacing[1]} mm`
              }
            />
          </>
        )}
        <Row label="Stored files" value={`${files.length} (${formatBytes(bytes)})`} />
        <Row label="Imported" value={formatDate(scan.createdAt)} />
      </dl>
      {scan.warnings.length > 0 && (
        <ul className="warnings" data-testid="scan-warnings">
          {scan.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
