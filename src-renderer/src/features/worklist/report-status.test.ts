import { describe, expect, it } from 'vitest';
import type { WorklistSeries, WorklistStudy } from '../../../../src-shared/contract/worklist.js';
import { reportText, studyReportText } from './report-status.js';

const REPORT_ID = '00000000-0000-4000-8000-000000000001';

function study(
  reports: WorklistStudy['reports'],
  seriesTotal: number,
  shown: Array<WorklistSeries['report']>,
): WorklistStudy {
  return {
    key: 'S',
    studyId: null,
    patientId: null,
    patientName: null,
    patientMrn: null,
    studyDate: null,
    description: null,
    accessionNumber: null,
    importedAt: '2026-03-01T10:00:00.000Z',
    seriesTotal,
    reports,
    series: shown.map((report, i) => ({
      scanId: `00000000-0000-4000-8000-00000000010${i}`,
      seriesNumber: i + 1,
      description: 'AX FLAIR',
      modality: 'MR',
      format: 'dicom',
      kind: 'series',
      status: 'completed',
      rows: 256,
      columns: 256,
      slices: 24,
      spacing: null,
      acquiredAt: null,
      importedAt: '2026-03-01T10:00:00.000Z',
      finding: { kind: 'not-analysed' },
      report,
    })),
  };
}

describe('report state in the worklist', () => {
  it('names a series report by its newest version: none, draft, amendment, signed by whom', () => {
    expect(reportText({ state: 'none' })).toEqual({ text: 'No report', title: null, tone: 'none' });
    expect(reportText({ state: 'draft', reportId: REPORT_ID, version: 1 })).toMatchObject({
      text: 'Draft v1',
      tone: 'draft',
    });
    expect(reportText({ state: 'draft', reportId: REPORT_ID, version: 3 })).toMatchObject({
      text: 'Draft v3 (amendment)',
      title: 'Amendment of the signed version 2, not signed yet.',
    });
    const signed = reportText({
      state: 'signed',
      reportId: REPORT_ID,
      version: 2,
      signedBy: 'rita',
      signedAt: '2026-03-02T10:00:00.000Z',
    });
    expect(signed).toMatchObject({ text: 'Signed v2 by rita', tone: 'signed' });
    expect(signed.title).toMatch(/^Signed by rita at 2026-03-02 \d\d:00\.$/);
    expect(
      reportText({
        state: 'signed',
        reportId: REPORT_ID,
        version: 1,
        signedBy: null,
        signedAt: '2026-03-02T10:00:00.000Z',
      }).text,
    ).toBe('Signed v1');
  });

  it('sums a study up over all its series, filters aside', () => {
    const draft = { state: 'draft', reportId: REPORT_ID, version: 1 } as const;
    // One series: the study says what its report is.
    expect(studyReportText(study({ signed: 0, draft: 1 }, 1, [draft])).text).toBe('Draft v1');
    expect(studyReportText(study({ signed: 0, draft: 0 }, 3, [{ state: 'none' }]))).toEqual({
      text: 'No report',
      title: null,
      tone: 'none',
    });
    // Only one series shown (a filter), yet the counts are the study's.
    expect(studyReportText(study({ signed: 1, draft: 1 }, 3, [draft]))).toEqual({
      text: '1 signed · 1 draft of 3',
      title: "Reports of the study's 3 series: 1 signed, 1 draft, 1 without a report.",
      tone: 'draft',
    });
    expect(studyReportText(study({ signed: 1, draft: 0 }, 2, [])).tone).toBe('partial');
    expect(studyReportText(study({ signed: 2, draft: 0 }, 2, [])).text).toBe('2 signed of 2');
    expect(studyReportText(study({ signed: 2, draft: 0 }, 2, [])).tone).toBe('signed');
  });
});
