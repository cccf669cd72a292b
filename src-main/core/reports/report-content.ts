import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { Report } from '../../../src-shared/contract/reports.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysesRepo, AnalysisBlobs } from '../analysis/analyses-repo.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import type { PatientsRepo } from '../patients/patients-repo.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { ClinicSettingsService } from './clinic-settings.js';
import type { ModelProvenance, ReportDocumentData, ReportFigures } from './report-data.js';

/** What a figure module gets to compute its figures for a report. */
export interface ReportFigureContext {
  readonly report: Report;
  readonly analysis: Analysis;
  readonly blobs: AnalysisBlobs;
}

/**
 * FIGURES: computes the figures of a report (key images, diameters, growth, measurements);
 * core.ts wires figures/report-figure-source.ts and the saved viewer measurements.
 */
export type ReportFigureSource = (context: ReportFigureContext) => Promise<ReportFigures>;

/** Collects a report's content from the store into the renderer's plain data object. */
export function createReportContent(deps: {
  analyses: AnalysesRepo;
  scans: ScansRepo;
  studies: StudiesRepo;
  patients: PatientsRepo;
  registry: ModelRegistry;
  clinic: ClinicSettingsService;
  figures: ReportFigureSource;
  appVersion: string;
  now: () => string;
}) {
  function provenanceOf(analysis: Analysis): ModelProvenance[] {
    const used = [
      ['segmentation', analysis.models.segmentation],
      ['classification', analysis.models.classification],
    ] as const;
    const models: ModelProvenance[] = [];
    for (const [role, ref] of used) {
      if (ref === null) continue;
      let sha256: string | null = null;
      let note: string | null = null;
      try {
        // The registry runs only files whose sha256 matches their manifest, so the manifest of
        // the same id and version names the file that ran.
        const manifest = deps.registry.manifest(ref.id);
        if (manifest.version === ref.version) sha256 = manifest.sha256;
        else note = `version ${manifest.version} is installed now`;
      } catch {
        note = 'the model is no longer installed';
      }
      models.push({ role, id: ref.id, version: ref.version, sha256, note });
    }
    return models;
  }

  return {
    async collect(report: Report): Promise<ReportDocumentData> {
      const stored = deps.analyses.get(report.analysisId);
      if (stored === undefined)
        throw new AppError(
          'NOT_FOUND',
          'The analysis this report was made from no longer exists: amend the report from a new analysis.',
          { reportId: report.id },
        );
      const scan = deps.scans.get(report.scanId);
      if (scan === undefined)
        throw new AppError('NOT_FOUND', 'The scan of this report was deleted.');
      const patient = scan.patientId === null ? undefined : deps.patients.get(scan.patientId);
      const study = scan.studyId === null ? undefined : deps.studies.getStudy(scan.studyId);
      const series = scan.seriesId === null ? undefined : deps.studies.getSeries(scan.seriesId);
      const clinic = deps.clinic.get();
      return {
        report,
        clinic: { name: clinic.name, address: clinic.address, logo: deps.clinic.logo() },
        patient:
          patient === undefined
            ? null
            : {
                name: patient.name,
                mrn: patient.mrn,
                birthDate: patient.birthDate,
                sex: patient.sex,
              },
        study:
          study === undefined
            ? null
            : {
                date: study.studyDate,
                description: study.description,
                accessionNumber: study.accessionNumber,
                studyInstanceUid: study.studyInstanceUid,
              },
        series:
          series === undefined
            ? null
            : {
                modality: series.modality,
                description: series.description,
                seriesNumber: series.seriesNumber,
                seriesInstanceUid: series.seriesInstanceUid,
              },
        scan: {
          id: scan.id,
          kind: scan.kind,
          format: scan.format,
          acquiredAt: scan.acquiredAt,
          slices: scan.slices,
        },
        analysis: stored.analysis,
        models: provenanceOf(stored.analysis),
        figures: await deps.figures({ report, analysis: stored.analysis, blobs: stored.blobs }),
        generatedAt: deps.now(),
        appVersion: deps.appVersion,
      };
    },
  };
}
export type ReportContent = ReturnType<typeof createReportContent>;
