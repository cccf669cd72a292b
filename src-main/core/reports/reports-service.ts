import type { PatientReportStats, Report } from '../../../src-shared/contract/reports.js';
import type { Page } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { AnalysesRepo } from '../analysis/analyses-repo.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import { draftFindingsOf } from './draft-text.js';
import type { ReportQuery, ReportsRepo } from './reports-repo.js';

export const SIGNED_REPORT_MESSAGE = 'A signed report cannot be edited; amend it.';

/**
 * The report workflow: draft → final (signed), final → amendment (a new draft version). Every
 * change goes through the clinical writer (row, audit entry and outbox entry in one
 * transaction). A final version is never changed: refused here with a clear CONFLICT, and by
 * the table's trigger should anything get past this.
 */
export function createReportsService(deps: {
  writer: ClinicalWriter;
  reports: ReportsRepo;
  analyses: AnalysesRepo;
  scans: ScansRepo;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { reports, writer, clock } = deps;

  function get(id: string): Report {
    const report = reports.get(id);
    if (report === undefined)
      throw new AppError('NOT_FOUND', 'No such report: it may have been deleted.', {
        reportId: id,
      });
    return report;
  }

  function assertDraft(report: Report): void {
    if (report.status === 'final')
      throw new AppError('CONFLICT', SIGNED_REPORT_MESSAGE, {
        reportId: report.id,
        version: report.version,
      });
  }

  function latestAnalysisId(scanId: string): string {
    const latest = deps.analyses.latestOfScan(scanId);
    if (latest === undefined)
      throw new AppError(
        'NOT_FOUND',
        `Scan ${scanId} has not been analysed yet: analyse it first (in the app, or "neurosphere analyze --scan ${scanId}"), then write its report.`,
        { scanId },
      );
    return latest.analysis.id;
  }

  return {
    get,

    listOfScan(scanId: string): Report[] {
      return reports.listOfScan(scanId);
    },

    listOfPatient(patientId: string): Report[] {
      return reports.listOfPatient(patientId);
    },

    list(query: ReportQuery): Page<Report> {
      return reports.list(query);
    },

    patientStats(patientId: string): PatientReportStats {
      const stats = reports.patientStats(patientId);
      if (stats === undefined)
        throw new AppError('NOT_FOUND', 'No such patient: it may have been deleted.', {
          patientId,
        });
      return stats;
    },

    /** A new draft (version 1) of a scan's report, its findings drafted from the latest analysis. */
    create(scanId: string, actor: string | null): Report {
      if (deps.scans.get(scanId) === undefined)
        throw new AppError('NOT_FOUND', `No such scan: ${scanId}. List scans with "scans.list".`, {
          scanId,
        });
      const existing = reports.listOfScan(scanId)[0];
      if (existing !== undefined)
        throw new AppError(
          'CONFLICT',
          existing.status === 'draft'
            ? `This scan already has a report (version ${existing.version}, draft): edit that draft.`
            : `This scan already has a signed report (version ${existing.version}): amend it to change it.`,
          { reportId: existing.id },
        );
      const analysisId = latestAnalysisId(scanId);
      const analysis = deps.analyses.get(analysisId);
      return writer.write(actor, 'reports.create', () => {
        const report = reports.insert(
          {
            id: deps.ids(),
            scanId,
            version: 1,
            findings: analysis === undefined ? '' : draftFindingsOf(analysis.analysis),
            impression: '',
            analysisId,
            createdBy: actor,
            amends: null,
            changes: null,
          },
          clock.iso(),
        );
        return {
          result: report,
          target: report.id,
          details: { scanId, version: 1, analysisId },
          changes: [{ entity: 'report', id: report.id, op: 'create', payload: report }],
        };
      });
    },

    update(
      id: string,
      changes: {
        findings?: string | undefined;
        impression?: string | undefined;
        /** Show the scan's latest analysis instead of the one the draft was made from. */
        toLatestAnalysis?: boolean;
      },
      actor: string | null,
    ): Report {
      const current = get(id);
      assertDraft(current);
      const analysisId =
        changes.toLatestAnalysis === true ? latestAnalysisId(current.scanId) : current.analysisId;
      const fields = [
        ...(changes.findings === undefined ? [] : ['findings']),
        ...(changes.impression === undefined ? [] : ['impression']),
        ...(analysisId === current.analysisId ? [] : ['analysisId']),
      ];
      return writer.write(actor, 'reports.update', () => {
        reports.updateDraft(
          id,
          {
            findings: changes.findings ?? current.findings,
            impression: changes.impression ?? current.impression,
            analysisId,
          },
          clock.iso(),
        );
        const report = get(id);
        return {
          result: report,
          target: id,
          details: { fields },
          changes: [{ entity: 'report', id, op: 'update', payload: report }],
        };
      });
    },

    /** Draft → final, signed by the caller now. The audit entry records who and when. */
    sign(id: string, actor: string | null): Report {
      const current = get(id);
      if (current.status === 'final')
        throw new AppError(
          'CONFLICT',
          `This report was already signed by ${current.signedBy ?? 'an unknown user'} at ${current.signedAt ?? '?'}.`,
          { reportId: id },
        );
      if (current.impression.trim() === '')
        throw new AppError(
          'INVALID_INPUT',
          'Write an impression before signing: a signed report needs a conclusion.',
          { reportId: id },
        );
      return writer.write(actor, 'reports.sign', () => {
        const at = clock.iso();
        reports.sign(id, actor, at);
        const report = get(id);
        return {
          result: report,
          target: id,
          details: { scanId: report.scanId, version: report.version, signedAt: at },
          changes: [{ entity: 'report', id, op: 'update', payload: report }],
        };
      });
    },

    /**
     * A new draft version of a signed report, from the scan's latest analysis (a re-analysis is a
     * usual reason to amend), its texts copied from the version it amends.
     */
    amend(id: string, changes: string, actor: string | null): Report {
      const current = get(id);
      if (current.status !== 'final')
        throw new AppError(
          'CONFLICT',
          'Only a signed report is amended: edit this draft instead.',
          { reportId: id },
        );
      if (current.supersededBy !== null)
        throw new AppError(
          'CONFLICT',
          'This version was already amended: amend the newest version of the report.',
          { reportId: id, supersededBy: current.supersededBy },
        );
      const analysisId = latestAnalysisId(current.scanId);
      return writer.write(actor, 'reports.amend', () => {
        const report = reports.insert(
          {
            id: deps.ids(),
            scanId: current.scanId,
            version: current.version + 1,
            findings: current.findings,
            impression: current.impression,
            analysisId,
            createdBy: actor,
            amends: current.id,
            changes,
          },
          clock.iso(),
        );
        return {
          result: report,
          target: report.id,
          details: { amends: current.id, version: report.version, changes },
          changes: [{ entity: 'report', id: report.id, op: 'create', payload: report }],
        };
      });
    },

    /** Deletes the whole report of the version's scan: every version, signed ones included. */
    remove(id: string, actor: string | null): { deleted: boolean; versions: number } {
      const report = get(id);
      const versions = reports.listOfScan(report.scanId);
      return writer.write(actor, 'reports.delete', () => {
        const count = reports.removeOfScan(report.scanId);
        return {
          result: { deleted: count > 0, versions: count },
          target: report.scanId,
          details: { scanId: report.scanId, versions: versions.map((v) => v.id) },
          changes: versions.map((v) => ({
            entity: 'report' as const,
            id: v.id,
            op: 'delete' as const,
          })),
        };
      });
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
