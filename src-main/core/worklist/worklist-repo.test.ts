import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src-shared/contract/analysis.js';
import { worklistPageSchema } from '../../../src-shared/contract/worklist.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createAnalysesRepo } from '../analysis/analyses-repo.js';
import { createAuditRepo } from '../audit/audit-repo.js';
import { createClinicalWriter } from '../clinical-write/clinical-writer.js';
import { createOutboxRepo } from '../clinical-write/outbox-repo.js';
import { fixedClock } from '../platform/clock.js';
import { randomIds } from '../platform/ids.js';
import { createReportsRepo } from '../reports/reports-repo.js';
import { createReportsService } from '../reports/reports-service.js';
import { createPatientsRepo } from '../patients/patients-repo.js';
import { createScansRepo, type NewScan } from '../scans/scans-repo.js';
import { createStudiesRepo } from '../scans/studies-repo.js';
import { createWorklistRepo, type WorklistRepo } from './worklist-repo.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

const NOW = '2026-03-10T09:00:00.000Z';
const scanBase: Omit<NewScan, 'id'> = {
  patientId: null,
  studyId: null,
  seriesId: null,
  kind: 'series',
  format: 'dicom',
  modality: 'MR',
  description: null,
  rows: 256,
  columns: 256,
  spacing: [1, 1, 5],
  acquiredAt: '2026-03-09',
};
const query = {
  sort: 'createdAt' as const,
  order: 'desc' as const,
  page: 1,
  limit: 25,
};

describe('worklist repo on a real database', () => {
  let t: TempDb;
  let worklist: WorklistRepo;
  const ids: Record<string, string> = {};

  /** One DICOM study of a patient with its series; returns the scan ids by series description. */
  function addStudy(
    patient: { name: string; mrn: string },
    study: { description: string; uid: string },
    series: Array<{ number: number; description: string; modality: string }>,
    at = NOW,
  ): string[] {
    const patients = createPatientsRepo(t.db);
    const studies = createStudiesRepo(t.db);
    const scans = createScansRepo(t.db);
    const patientId =
      patients.findByMrn(patient.mrn)?.id ??
      patients.insert(
        randomUUID(),
        { name: patient.name, mrn: patient.mrn, birthDate: null, sex: null, notes: '' },
        at,
      ).id;
    const studyId = randomUUID();
    studies.insertStudy(
      {
        id: studyId,
        patientId,
        studyInstanceUid: study.uid,
        studyDate: '2026-03-09',
        description: study.description,
        accessionNumber: `ACC-${study.uid}`,
      },
      at,
    );
    return series.map((s) => {
      const seriesId = randomUUID();
      studies.insertSeries(
        {
          id: seriesId,
          studyId,
          seriesInstanceUid: `${study.uid}.${s.number}`,
          seriesNumber: s.number,
          modality: s.modality,
          description: s.description,
        },
        at,
      );
      const scanId = randomUUID();
      scans.insert(
        {
          ...scanBase,
          id: scanId,
          patientId,
          studyId,
          seriesId,
          modality: s.modality,
          description: s.description,
        },
        at,
      );
      return scanId;
    });
  }

  function analyse(scanId: string, applicability: string, result: object, positive: boolean) {
    t.db
      .prepare(
        `INSERT INTO analyses (id, scan_id, provider, tumor_detected, detection_count, result, created_at, applicability)
         VALUES (?, ?, 'cpu', ?, ?, ?, ?, ?)`,
      )
      .run(
        randomUUID(),
        scanId,
        positive ? 1 : 0,
        positive ? 2 : 0,
        JSON.stringify(result),
        NOW,
        applicability,
      );
  }

  beforeEach(() => {
    t = openTempDb();
    worklist = createWorklistRepo(t.db);
    const [flair1, flair2, t1] = addStudy(
      { name: 'Test, Ingrid', mrn: 'E2E-001' },
      { description: 'MRI BRAIN', uid: '1.2.3' },
      [
        { number: 3, description: 'AX FLAIR', modality: 'MR' },
        { number: 7, description: 'AX FLAIR', modality: 'MR' },
        { number: 1, description: 'SAG T1 MPRAGE', modality: 'MR' },
      ],
    ) as [string, string, string];
    const [ct] = addStudy(
      { name: 'Doe, John', mrn: 'P-42' },
      { description: 'CT HEAD 50% dose', uid: '1.2.4' },
      [{ number: 2, description: 'AXIAL', modality: 'CT' }],
    ) as [string];
    const png = randomUUID();
    createScansRepo(t.db).insert(
      {
        ...scanBase,
        id: png,
        kind: 'image',
        format: 'png',
        modality: null,
        description: 'slice.png',
        spacing: null,
        acquiredAt: null,
      },
      NOW,
    );
    Object.assign(ids, { flair1, flair2, t1, ct, png });
    analyse(
      flair1,
      'applicable',
      {
        findings: {
          kind: 'brain-tumour',
          detections: [
            { metrics: { kind: 'volume', volume_mm3: 1500 } },
            { metrics: { kind: 'volume', volume_mm3: 12_500 } },
          ],
        },
        applicability: { reasons: [] },
      },
      true,
    );
    analyse(
      flair2,
      'not-applicable',
      {
        findings: { kind: 'not-applicable', reason: 'This model reads axial FLAIR; this is DWI.' },
        applicability: { reasons: ['This model reads axial FLAIR; this is DWI.'] },
      },
      false,
    );
    analyse(
      ct,
      'applicable',
      { findings: { kind: 'brain-tumour', detections: [] }, applicability: { reasons: [] } },
      false,
    );
  });
  afterEach(() => t.dispose());

  it('groups series under their study, by series number, with their AI findings', () => {
    const page = worklistPageSchema.parse(worklist.list({ ...query, search: 'E2E-001' }));
    expect(page.total).toBe(1);
    const [study] = page.items;
    expect(study).toMatchObject({
      description: 'MRI BRAIN',
      patientName: 'Test, Ingrid',
      patientMrn: 'E2E-001',
      seriesTotal: 3,
    });
    expect(study?.series.map((s) => [s.seriesNumber, s.description])).toEqual([
      [1, 'SAG T1 MPRAGE'],
      [3, 'AX FLAIR'],
      [7, 'AX FLAIR'],
    ]);
    expect(study?.series.map((s) => s.finding)).toEqual([
      { kind: 'not-analysed' },
      { kind: 'tumour', lesionCount: 2, largestVolumeMl: 12.5 },
      {
        kind: 'not-applicable',
        reason: 'This model reads axial FLAIR; this is DWI.',
        forced: false,
      },
    ]);
    expect(page.modalities).toEqual(['CT', 'MR', 'PNG']);
  });

  it('searches study and series descriptions, modality and patient identifiers, word by word', () => {
    const studiesFor = (search: string) =>
      worklist.list({ ...query, search }).items.map((s) => ({
        study: s.description,
        series: s.series.map((x) => x.seriesNumber),
      }));
    expect(studiesFor('MRI BRAIN')).toEqual([{ study: 'MRI BRAIN', series: [1, 3, 7] }]);
    expect(studiesFor('mri brain')).toEqual([{ study: 'MRI BRAIN', series: [1, 3, 7] }]);
    expect(studiesFor('brain flair')).toEqual([{ study: 'MRI BRAIN', series: [3, 7] }]);
    expect(studiesFor('MR')).toEqual([{ study: 'MRI BRAIN', series: [1, 3, 7] }]);
    expect(studiesFor('Ingrid Test')).toHaveLength(1);
    expect(studiesFor('P-42')).toEqual([{ study: 'CT HEAD 50% dose', series: [2] }]);
    expect(studiesFor('ACC-1.2.4')).toHaveLength(1);
    expect(studiesFor('png')).toEqual([{ study: null, series: [null] }]);
    // LIKE wildcards are text: "%" and "_" match only themselves.
    expect(studiesFor('50%')).toHaveLength(1);
    expect(studiesFor('%')).toHaveLength(1);
    expect(studiesFor('_')).toHaveLength(0);
    // A quote is a bound parameter, not SQL.
    expect(studiesFor("x' OR 1=1 --")).toHaveLength(0);
  });

  it('filters by modality and by result, series by series', () => {
    const seriesFor = (filter: { modality?: string; result?: never }) =>
      worklist.list({ ...query, ...filter }).items.flatMap((s) => s.series.map((x) => x.scanId));
    expect(seriesFor({ modality: 'CT' })).toEqual([ids['ct']]);
    expect(seriesFor({ modality: 'mr' })).toHaveLength(3);
    expect(seriesFor({ modality: 'PNG' })).toEqual([ids['png']]);
    const byResult = (result: 'tumour' | 'no-tumour' | 'not-analysed' | 'not-applicable') =>
      worklist
        .list({ ...query, result })
        .items.flatMap((s) => s.series.map((x) => x.scanId))
        .sort();
    expect(byResult('tumour')).toEqual([ids['flair1']]);
    expect(byResult('no-tumour')).toEqual([ids['ct']]);
    expect(byResult('not-applicable')).toEqual([ids['flair2']]);
    expect(byResult('not-analysed')).toEqual([ids['t1'], ids['png']].sort());
    expect(worklist.list({ ...query, modality: 'CT', result: 'tumour' }).total).toBe(0);
  });

  it('sorts studies by each column, with and without filters', () => {
    const order = (sort: 'createdAt' | 'acquiredAt' | 'patientName' | 'modality', extra = {}) =>
      worklist
        .list({ ...query, sort, order: 'asc', ...extra })
        .items.map((s) => s.patientName ?? s.series[0]?.description);
    expect(order('patientName')).toEqual(['Doe, John', 'Test, Ingrid', 'slice.png']);
    expect(order('modality')).toEqual(['Doe, John', 'Test, Ingrid', 'slice.png']);
    // The picture has no date: last, whichever the order.
    expect(order('acquiredAt').at(-1)).toBe('slice.png');
    expect(order('createdAt', { result: 'not-analysed' })).toHaveLength(2);
    expect(order('patientName', { status: 'imported', modality: 'MR' })).toEqual(['Test, Ingrid']);
  });

  it('counts a forced run as not applicable and uses its refusal reason', () => {
    analyse(
      ids['t1'] as string,
      'forced',
      {
        findings: {
          kind: 'brain-tumour',
          detections: [{ metrics: { kind: 'volume', volume_mm3: 900 } }],
        },
        applicability: { reasons: ['This model reads FLAIR; this series is T1.'] },
      },
      true,
    );
    const [study] = worklist.list({ ...query, result: 'not-applicable', search: 'MPRAGE' }).items;
    expect(study?.series[0]?.finding).toEqual({
      kind: 'not-applicable',
      reason: 'This model reads FLAIR; this series is T1.',
      forced: true,
    });
  });

  it('pages by study with hundreds of series', () => {
    for (let i = 0; i < 120; i++)
      addStudy(
        { name: `Bulk ${String(i).padStart(3, '0')}`, mrn: `B-${i}` },
        { description: 'MRI BRAIN BULK', uid: `9.${i}` },
        [
          { number: 1, description: 'FLAIR', modality: 'MR' },
          { number: 2, description: 'T2', modality: 'MR' },
          { number: 3, description: 'T1', modality: 'MR' },
        ],
        `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`,
      );
    const seen = new Set<string>();
    let series = 0;
    for (let page = 1; page <= 5; page++) {
      const result = worklist.list({
        ...query,
        search: 'bulk',
        sort: 'patientName',
        order: 'asc',
        page,
        limit: 25,
      });
      expect(result.total).toBe(120);
      expect(result.totalPages).toBe(5);
      expect(result.items).toHaveLength(page === 5 ? 20 : 25);
      for (const study of result.items) {
        expect(seen.has(study.key)).toBe(false);
        seen.add(study.key);
        series += study.series.length;
      }
      if (page === 1) expect(result.items[0]?.patientName).toBe('Bulk 000');
    }
    expect(seen.size).toBe(120);
    expect(series).toBe(360);
  });

  it("shows each series' newest report version and a study summary, and filters by it", () => {
    const db = t.db;
    const clock = fixedClock(new Date('2026-03-11T08:00:00.000Z'));
    const scans = createScansRepo(db);
    const analyses = createAnalysesRepo(db);
    const reports = createReportsService({
      writer: createClinicalWriter({
        db,
        audit: createAuditRepo(db, TEST_AUDIT_KEY),
        outbox: createOutboxRepo(db),
        clock,
      }),
      reports: createReportsRepo(db),
      analyses,
      scans,
      clock,
      ids: randomIds,
    });
    // A report needs an analysis: a refused one is enough (the radiologist reports anyway).
    const refuse = (scanId: string): void => {
      const reason = 'This model reads axial FLAIR; this series is T1.';
      const analysis: Analysis = {
        id: randomUUID(),
        scanId,
        jobId: null,
        createdAt: NOW,
        pipeline: 'brain-mr-tumour',
        models: { segmentation: null, classification: null },
        provider: null,
        providerNote: null,
        applicability: { verdict: 'not-applicable', reasons: [reason], checkedFrom: [] },
        warnings: [],
        notes: '',
        imageQuality: null,
        input: { format: 'dicom', dimensions: [256, 256, 1], voxelSizes: null, units: 'pixels' },
        findings: { kind: 'not-applicable', reason },
        timings: { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 1 },
        outputs: { hasMask: false, hasHeatmap: false, hasOverlay: false },
      };
      analyses.insert(analysis, { maskSha256: null, heatmapSha256: null, overlaySha256: null });
    };
    const t1 = ids['t1'] as string;
    const ct = ids['ct'] as string;
    const png = ids['png'] as string;
    refuse(t1);
    refuse(ct);
    refuse(png);

    const reportsOf = (filter: { report?: 'none' | 'draft' | 'signed' } = {}) =>
      worklistPageSchema.parse(worklist.list({ ...query, ...filter })).items;
    const seriesWith = (state: 'none' | 'draft' | 'signed') =>
      reportsOf({ report: state })
        .flatMap((s) => s.series.map((x) => x.scanId))
        .sort();

    // Nothing reported yet: every series says none, every study counts none.
    expect(reportsOf().flatMap((s) => s.series.map((x) => x.report.state))).toEqual(
      Array(5).fill('none'),
    );
    expect(reportsOf().map((s) => s.reports)).toEqual(Array(3).fill({ signed: 0, draft: 0 }));
    expect(seriesWith('draft')).toEqual([]);

    // A draft of the T1 series, then signed by rita; a draft of the CT series; the picture's
    // report signed and then amended (its newest version is a draft again, version 2).
    const t1Report = reports.create(t1, 'rita');
    reports.create(ct, 'rita');
    const brain = () => reportsOf({}).find((s) => s.description === 'MRI BRAIN');
    expect(brain()?.series.find((x) => x.scanId === t1)?.report).toEqual({
      state: 'draft',
      reportId: t1Report.id,
      version: 1,
    });
    reports.update(t1Report.id, { impression: 'No tumour.' }, 'rita');
    reports.sign(t1Report.id, 'rita');
    const pngReport = reports.create(png, 'rita');
    reports.update(pngReport.id, { impression: 'Normal.' }, 'rita');
    reports.sign(pngReport.id, 'rita');
    const amendment = reports.amend(pngReport.id, 'Corrected the side', 'rita');

    expect(brain()?.series.map((x) => [x.seriesNumber, x.report])).toEqual([
      [
        1,
        {
          state: 'signed',
          reportId: t1Report.id,
          version: 1,
          signedBy: 'rita',
          signedAt: '2026-03-11T08:00:00.000Z',
        },
      ],
      [3, { state: 'none' }],
      [7, { state: 'none' }],
    ]);
    expect(brain()?.reports).toEqual({ signed: 1, draft: 0 });
    const picture = reportsOf().find((s) => s.studyId === null);
    expect(picture?.series[0]?.report).toEqual({
      state: 'draft',
      reportId: amendment.id,
      version: 2,
    });
    expect(picture?.reports).toEqual({ signed: 0, draft: 1 });

    // The filter, series by series; the study summary still counts all of the study's series.
    expect(seriesWith('signed')).toEqual([t1]);
    expect(seriesWith('draft')).toEqual([ct, png].sort());
    expect(seriesWith('none')).toEqual([ids['flair1'], ids['flair2']].sort());
    const [unreported] = reportsOf({ report: 'none' });
    expect(unreported?.series).toHaveLength(2);
    expect(unreported?.reports).toEqual({ signed: 1, draft: 0 });
    // Combined with the other filters, and counted by study for the pager.
    expect(worklist.list({ ...query, report: 'draft', modality: 'CT' }).total).toBe(1);
    expect(worklist.list({ ...query, report: 'signed', result: 'tumour' }).total).toBe(0);
    expect(worklist.list({ ...query, report: 'none', sort: 'patientName' }).total).toBe(1);
  });

  it('names scans for job lists and import summaries, in the order asked', () => {
    const labels = worklist.labels([ids['flair2'] as string, randomUUID(), ids['png'] as string]);
    expect(labels).toEqual([
      {
        scanId: ids['flair2'],
        seriesNumber: 7,
        description: 'AX FLAIR',
        modality: 'MR',
        studyDescription: 'MRI BRAIN',
        patientName: 'Test, Ingrid',
        patientMrn: 'E2E-001',
        slices: 0,
      },
      {
        scanId: ids['png'],
        seriesNumber: null,
        description: 'slice.png',
        modality: 'PNG',
        studyDescription: null,
        patientName: null,
        patientMrn: null,
        slices: 1,
      },
    ]);
  });
});
