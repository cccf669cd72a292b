import type { WorklistReport, WorklistStudy } from '../../../../src-shared/contract/worklist.js';
import { formatDate } from '../../ui/format.js';

/** How a report cell looks: 'partial' is a study with some series reported and some not. */
export type ReportTone = WorklistReport['state'] | 'partial';

export interface ReportText {
  readonly text: string;
  readonly title: string | null;
  readonly tone: ReportTone;
}

/** A series' report from its newest version, in a few words, with more on hover. */
export function reportText(report: WorklistReport): ReportText {
  switch (report.state) {
    case 'none':
      return { text: 'No report', title: null, tone: 'none' };
    case 'draft':
      return report.version === 1
        ? { text: 'Draft v1', title: 'Report being written, not signed yet.', tone: 'draft' }
        : {
            text: `Draft v${report.version} (amendment)`,
            title: `Amendment of the signed version ${report.version - 1}, not signed yet.`,
            tone: 'draft',
          };
    case 'signed': {
      const by = report.signedBy ?? 'an unknown user';
      return {
        text:
          report.signedBy === null
            ? `Signed v${report.version}`
            : `Signed v${report.version} by ${report.signedBy}`,
        title: `Signed by ${by} at ${formatDate(report.signedAt)}.`,
        tone: 'signed',
      };
    }
  }
}

/**
 * A study's reports: a study of one series says what that series' report is; a larger one counts
 * signed and draft reports over all its series (filters aside), e.g. "1 signed · 1 draft of 3".
 */
export function studyReportText(study: WorklistStudy): ReportText {
  const only = study.series[0];
  if (study.seriesTotal === 1 && only !== undefined) return reportText(only.report);
  const { signed, draft } = study.reports;
  const total = study.seriesTotal;
  if (signed + draft === 0) return { text: 'No report', title: null, tone: 'none' };
  const parts = [
    ...(signed > 0 ? [`${signed} signed`] : []),
    ...(draft > 0 ? [`${draft} draft`] : []),
  ];
  const without = total - signed - draft;
  return {
    text: `${parts.join(' · ')} of ${total}`,
    title:
      `Reports of the study's ${total} series: ${signed} signed, ${draft} draft` +
      `, ${without} without a report.`,
    tone: signed === total ? 'signed' : draft > 0 ? 'draft' : 'partial',
  };
}
