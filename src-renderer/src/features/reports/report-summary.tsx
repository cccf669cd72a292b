import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import type { MethodOutput } from '../../../../src-shared/contract/methods.js';
import type { Report } from '../../../../src-shared/contract/reports.js';
import { formatDate } from '../../ui/format.js';

type ScanDetail = MethodOutput<'scans.get'>;

function mL(mm3: number): string {
  const value = mm3 / 1000;
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function AnalysisPart({ analysis }: { analysis: Analysis }) {
  const findings = analysis.findings;
  const models = [analysis.models.segmentation, analysis.models.classification]
    .filter((m) => m !== null)
    .map((m) => `${m.id} ${m.version}`);
  return (
    <>
      <dt>Analysis</dt>
      <dd>
        {formatDate(analysis.createdAt)}
        {models.length > 0 && <span className="muted"> · {models.join(', ')}</span>}
      </dd>
      <dt>Result</dt>
      <dd data-testid="report-summary-result">
        {findings.kind === 'brain-tumour'
          ? findings.tumourDetected
            ? `Tumour suspected, ${findings.detections.length} region${findings.detections.length === 1 ? '' : 's'}`
            : 'No tumour found'
          : findings.kind === 'not-applicable'
            ? `Not read by the model: ${findings.reason}`
            : 'See the PDF'}
      </dd>
      {findings.kind === 'brain-tumour' && findings.detections.length > 0 && (
        <>
          <dt>Lesions</dt>
          <dd>
            <table className="table compact report-lesions">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col" className="numeric">
                    Volume
                  </th>
                  <th scope="col" className="numeric">
                    Diameter
                  </th>
                  <th scope="col">Location (approx.)</th>
                </tr>
              </thead>
              <tbody>
                {findings.detections.map((d, i) => (
                  <tr key={d.detectionId}>
                    <td>{i + 1}</td>
                    <td className="numeric">
                      {d.metrics.kind === 'volume' ? `${mL(d.metrics.volume_mm3)} mL` : '—'}
                    </td>
                    <td className="numeric">
                      {d.metrics.kind === 'volume'
                        ? `${d.metrics.diameter_mm.toFixed(1)} mm`
                        : `${d.metrics.diameter.toFixed(1)} ${d.units}`}
                    </td>
                    <td>{d.location.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </dd>
        </>
      )}
      {analysis.warnings.length > 0 && (
        <>
          <dt>Warnings</dt>
          <dd>{analysis.warnings.join(' ')}</dd>
        </>
      )}
    </>
  );
}

/**
 * What the PDF holds, as page text: patient, study, the analysis results it reports. Shown
 * beside the PDF, and instead of it where the window has no PDF viewer (the desktop app,
 * headless browsers). The PDF itself (key images, provenance, timings) is the document.
 */
export function ReportSummary(props: {
  report: Report;
  detail: ScanDetail | undefined;
  analysis: Analysis | undefined;
}) {
  const { report, detail, analysis } = props;
  const scan = detail?.scan;
  const sameAnalysis = analysis !== undefined && analysis.id === report.analysisId;
  return (
    <section className="panel" aria-labelledby="report-summary-title" data-testid="report-summary">
      <h3 id="report-summary-title" className="panel-header">
        Report content
      </h3>
      <dl className="facts small">
        <dt>Patient</dt>
        <dd data-testid="report-summary-patient">
          {scan?.patientName ?? 'Unknown patient'}
          {scan !== undefined && scan.patientMrn !== null && (
            <span className="muted mono"> · {scan.patientMrn}</span>
          )}
        </dd>
        {detail !== undefined && detail.study !== null && (
          <>
            <dt>Study</dt>
            <dd>
              {detail.study.description ?? 'Study'} · {formatDate(detail.study.studyDate)}
            </dd>
          </>
        )}
        <dt>Series</dt>
        <dd>
          {scan === undefined ? '…' : (scan.description ?? scan.modality ?? scan.format)}
          {scan !== undefined && scan.modality !== null && (
            <span className="muted"> · {scan.modality}</span>
          )}
        </dd>
        {sameAnalysis ? (
          <AnalysisPart analysis={analysis} />
        ) : (
          analysis !== undefined && (
            <>
              <dt>Analysis</dt>
              <dd className="muted">
                The scan was analysed again after this version was made; this version reports the
                earlier analysis (see the PDF). Amend the report to report the new one.
              </dd>
            </>
          )
        )}
        <dt>Status</dt>
        <dd>
          Version {report.version},{' '}
          {report.status === 'final'
            ? `signed by ${report.signedBy ?? 'unknown'} at ${formatDate(report.signedAt)}`
            : 'draft (the PDF is marked DRAFT)'}
        </dd>
        {report.changes !== null && (
          <>
            <dt>Amendment</dt>
            <dd>{report.changes}</dd>
          </>
        )}
      </dl>
      <p className="muted disclaimer">
        Research and decision support, not a diagnosis: the radiologist’s reading decides.
      </p>
    </section>
  );
}
