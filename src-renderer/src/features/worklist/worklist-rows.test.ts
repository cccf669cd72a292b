import { describe, expect, it } from 'vitest';
import type {
  WorklistFinding,
  WorklistSeries,
  WorklistStudy,
} from '../../../../src-shared/contract/worklist.js';
import {
  findingText,
  scanToOpen,
  studyFinding,
  studyModalities,
  treeKeyAction,
  visibleRows,
} from './worklist-rows.js';

function series(
  scanId: string,
  finding: WorklistFinding,
  number: number,
  description = 'AX FLAIR',
): WorklistSeries {
  return {
    scanId,
    seriesNumber: number,
    description,
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
    finding,
    report: { state: 'none' },
  };
}

function study(key: string, list: WorklistSeries[]): WorklistStudy {
  return {
    key,
    studyId: null,
    patientId: null,
    patientName: null,
    patientMrn: null,
    studyDate: null,
    description: null,
    accessionNumber: null,
    importedAt: '2026-03-01T10:00:00.000Z',
    seriesTotal: list.length,
    reports: { signed: 0, draft: 0 },
    series: list,
  };
}

const none: WorklistFinding = { kind: 'not-analysed' };
const a = study('A', [series('a1', none, 1), series('a2', none, 2)]);
const b = study('B', [series('b1', none, 1)]);

describe('worklist tree', () => {
  it('shows the series of expanded studies only', () => {
    expect(visibleRows([a, b], new Set()).map((r) => r.kind)).toEqual(['study', 'study']);
    const rows = visibleRows([a, b], new Set(['A']));
    expect(rows.map((r) => (r.kind === 'study' ? r.study.key : r.series.scanId))).toEqual([
      'A',
      'a1',
      'a2',
      'B',
    ]);
  });

  it('expands, steps in, steps out and collapses with Right and Left', () => {
    const collapsed = visibleRows([a, b], new Set());
    expect(treeKeyAction('ArrowRight', collapsed, 0)).toEqual({ kind: 'expand', key: 'A' });
    expect(treeKeyAction('ArrowLeft', collapsed, 0)).toEqual({ kind: 'none' });
    const open = visibleRows([a, b], new Set(['A']));
    expect(treeKeyAction('ArrowRight', open, 0)).toEqual({ kind: 'select', index: 1 });
    expect(treeKeyAction('ArrowRight', open, 2)).toEqual({ kind: 'none' });
    expect(treeKeyAction('ArrowLeft', open, 2)).toEqual({ kind: 'select', index: 0 });
    expect(treeKeyAction('ArrowLeft', open, 0)).toEqual({ kind: 'collapse', key: 'A', select: 0 });
    expect(treeKeyAction('ArrowDown', open, 0)).toEqual({ kind: 'none' });
    expect(treeKeyAction('ArrowRight', open, -1)).toEqual({ kind: 'none' });
  });

  it('opens a series itself and a study by its first series when none is preferred', () => {
    const rows = visibleRows([a], new Set(['A']));
    expect(rows.map(scanToOpen)).toEqual(['a1', 'a1', 'a2']);
    const ct = study('CT', [
      { ...series('c1', none, 1, 'SCOUT'), modality: 'CT' },
      { ...series('c2', none, 2, 'AXIAL'), modality: 'CT' },
    ]);
    expect(scanToOpen({ kind: 'study', study: ct })).toBe('c1');
  });

  it('opens a brain MR study at its FLAIR, even when a T1 is numbered before it', () => {
    const mr = study('MR', [
      series('t1', none, 1, 'SAG T1 MPRAGE'),
      series('t2', none, 2, 'AX T2'),
      series('flair', none, 4, 'AX T2 FLAIR'),
    ]);
    const rows = visibleRows([mr], new Set(['MR']));
    expect(rows.map(scanToOpen)).toEqual(['flair', 't1', 't2', 'flair']);
    // Filtered to the T1 alone (e.g. a search for "MPRAGE"), the study opens what is shown.
    expect(scanToOpen({ kind: 'study', study: { ...mr, series: [mr.series[0]!] } })).toBe('t1');
  });
});

describe('AI finding in words', () => {
  it('says what each finding is, with the reason on hover where not applicable', () => {
    expect(findingText({ kind: 'not-analysed' }, 'imported').text).toBe('Not analysed');
    expect(findingText({ kind: 'not-analysed' }, 'processing').text).toBe('Analysing…');
    expect(findingText({ kind: 'not-analysed' }, 'failed').text).toBe('Analysis failed');
    expect(findingText({ kind: 'no-tumour' }, 'completed')).toEqual({
      text: 'No tumour',
      title: null,
    });
    expect(
      findingText(
        { kind: 'not-applicable', reason: 'Reads FLAIR; this is CT.', forced: false },
        'completed',
      ),
    ).toEqual({ text: 'Not applicable', title: 'Reads FLAIR; this is CT.' });
    expect(
      findingText(
        { kind: 'not-applicable', reason: 'Reads FLAIR; this is CT.', forced: true },
        'completed',
      ).title,
    ).toMatch(/analysed anyway on request.*not counted/);
    expect(
      findingText({ kind: 'tumour', lesionCount: 3, largestVolumeMl: 14.56 }, 'completed').text,
    ).toBe('3 lesions · largest 14.6 mL');
    expect(
      findingText({ kind: 'tumour', lesionCount: 1, largestVolumeMl: 0.4 }, 'completed').text,
    ).toBe('1 lesion · largest 0.40 mL');
    expect(
      findingText({ kind: 'tumour', lesionCount: 2, largestVolumeMl: null }, 'completed').text,
    ).toBe('2 lesions');
  });

  it('sums a study up: tumour over no tumour over not applicable over not analysed', () => {
    const refused: WorklistFinding = { kind: 'not-applicable', reason: 'CT', forced: false };
    const small: WorklistFinding = { kind: 'tumour', lesionCount: 3, largestVolumeMl: 2 };
    const large: WorklistFinding = { kind: 'tumour', lesionCount: 1, largestVolumeMl: 20 };
    const of = (...f: WorklistFinding[]) =>
      studyFinding(
        study(
          'S',
          f.map((x, i) => series(`s${i}`, x, i)),
        ),
      );
    expect(of(none, refused, small, large, { kind: 'no-tumour' })).toEqual(large);
    expect(of(none, refused, { kind: 'no-tumour' })).toEqual({ kind: 'no-tumour' });
    expect(of(none, refused)).toEqual(refused);
    expect(of(none)).toEqual(none);
    expect(studyModalities(study('S', [series('x', none, 1), series('y', none, 2)]))).toBe('MR');
  });
});
