import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Analysis, ChestXrayFindings } from '../../../src-shared/contract/analysis.js';
import type { Job } from '../../../src-shared/contract/entities.js';
import type { Reading } from '../../../src-shared/contract/readings.js';
import {
  XRAY_SUGGESTIONS,
  XRAY_SUGGESTIONS_DISCLAIMER,
  XRAY_SUGGESTIONS_VERSION,
} from '../../../src-shared/clinical/xray-suggestions.js';
import { FRIENDLY_TEMPLATES_VERSION } from '../../../src-shared/clinical/xray-friendly.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { createAnalysesRepo } from '../analysis/analyses-repo.js';
import { createReadingsRepo } from './readings-repo.js';

/** A stored analysis with chest X-ray findings, as the chest pipeline writes it. */
function chestAnalysis(
  scanId: string,
  label: ChestXrayFindings['label'],
  pneumonia: number,
  qualityNotes: ChestXrayFindings['qualityNotes'] = [],
): Analysis {
  return {
    id: randomUUID(),
    scanId,
    jobId: null,
    createdAt: '2024-03-01T08:00:01.000Z',
    pipeline: 'chest-xray',
    models: { segmentation: null, classification: null },
    provider: 'cpu',
    providerNote: null,
    applicability: { verdict: 'applicable', reasons: [], checkedFrom: ['image-geometry'] },
    warnings: [],
    notes: '',
    imageQuality: null,
    input: { format: 'png', dimensions: [64, 64, 1], voxelSizes: null, units: 'pixels' },
    findings: {
      kind: 'chest-xray',
      label,
      probabilities: { normal: 1 - pneumonia, pneumonia },
      threshold: 0.5,
      qualityNotes,
      statement: `${label === 'pneumonia' ? 'Pneumonia suggested' : 'No pneumonia suggested'} (p = ${pneumonia.toFixed(2)})`,
    },
    timings: { loadMs: 1, preprocessMs: 1, inferenceMs: 1, postprocessMs: 1, totalMs: 4 },
    outputs: { hasMask: false, hasHeatmap: true, hasOverlay: false },
  };
}

/** Every string a reading's suggestions carry must be a table entry's, word for word. */
function expectFromTable(answer: NonNullable<Reading['suggestions']>): void {
  expect(answer.disclaimer).toBe(XRAY_SUGGESTIONS_DISCLAIMER);
  expect(answer.tableVersion).toBe(XRAY_SUGGESTIONS_VERSION);
  for (const suggestion of answer.suggestions) {
    const entry = XRAY_SUGGESTIONS.find((e) => e.id === suggestion.id);
    expect(entry, suggestion.id).toBeDefined();
    expect(suggestion.condition).toBe(entry?.condition);
    expect(suggestion.treatment).toBe(entry?.treatment);
    expect(suggestion.precautions).toBe(entry?.precautions);
    expect(suggestion.source).toEqual(entry?.source);
  }
}

describe('X-ray readings', () => {
  let t: TestCore;
  let admin: string;
  let patientId: string;
  let scanId: string;

  async function importPng(name: string, patient?: string): Promise<string> {
    const path = join(t.inputDir, name);
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => ((x - 32) ** 2 + (y - 32) ** 2 < 400 ? 200 : 40)),
    );
    const job = await t.ok(
      'import.files',
      { paths: [path], ...(patient !== undefined && { patientId: patient }) },
      admin,
    );
    expect((await t.core.jobs.whenFinished(job.id)).status).toBe('completed');
    return (await t.ok('import.report', { id: job.id }, admin)).scanIds[0] as string;
  }

  /** A finished reading over a stored chest analysis (the pipeline itself is tested elsewhere). */
  function storedReading(
    kind: 'friendly' | 'expert',
    analysis: Analysis,
    notes = '',
    includeSuggestions = true,
  ): string {
    createAnalysesRepo(t.core.db).insert(analysis, {
      maskSha256: null,
      heatmapSha256: null,
      overlaySha256: null,
    });
    const repo = createReadingsRepo(t.core.db);
    const id = randomUUID();
    repo.insert({
      id,
      scanId: analysis.scanId,
      kind,
      priority: 'HIGH',
      notes,
      includeSuggestions,
      requestedBy: 'admin',
      createdAt: '2024-03-01T08:00:02.000Z',
    });
    repo.setAnalysis(id, analysis.id);
    return id;
  }

  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    patientId = (await t.ok('patients.create', { name: 'Chest, Pat' }, admin)).id;
    scanId = await importPng('chest.png', patientId);
  });
  afterEach(() => t.dispose());

  it('gives the expert reading its figures, notes and priority, and the suggestions from the table', async () => {
    const id = storedReading(
      'expert',
      chestAnalysis(scanId, 'pneumonia', 0.93, [
        { code: 'rotated', message: 'The patient appears rotated (clavicle heads asymmetric).' },
      ]),
      'Fever for 3 days; compare with last year.',
    );
    const reading = await t.ok('readings.get', { id }, admin);
    expect(reading).toMatchObject({ id, scanId, kind: 'expert', status: 'completed', progress: 1 });
    expect(reading.expert).toMatchObject({
      label: 'pneumonia',
      probabilities: { pneumonia: 0.93 },
      threshold: 0.5,
      hasHeatmap: true,
      notes: 'Fever for 3 days; compare with last year.',
      priority: 'HIGH',
    });
    expect(reading.expert?.qualityNotes[0]?.code).toBe('rotated');
    expect(reading.suggestions?.suggestions.map((s) => s.id)).toEqual([
      'pneumonia-adult',
      'pneumonia-child',
    ]);
    expect(reading.suggestions?.suggestions[0]?.confidence).toBeCloseTo(0.93);
    // No age known: both groups' guidance, and a note saying so.
    expect(reading.suggestions?.note).toMatch(/age is not given: the adult and the child/);
    expectFromTable(reading.suggestions!);
    expect(await t.ok('readings.list', { scanId }, admin)).toHaveLength(1);
  });

  it('writes the friendly reading from the templates: no numbers, what it does not mean, the doctor will discuss', async () => {
    for (const [label, p] of [
      ['pneumonia', 0.97],
      ['normal', 0.04],
    ] as const) {
      const id = storedReading(
        'friendly',
        chestAnalysis(scanId, label, p, [{ code: 'under-exposed', message: 'mean 0.12' }]),
      );
      const { friendly } = await t.ok('readings.get', { id }, admin);
      expect(friendly?.template).toBe(label);
      expect(friendly?.templateVersion).toBe(FRIENDLY_TEMPLATES_VERSION);
      expect(friendly?.whatItDoesNotMean.join(' ')).toMatch(/not a diagnosis/);
      expect(friendly?.nextStep).toMatch(/Your doctor will discuss/);
      expect(friendly?.aboutTheImage).toEqual([
        'The picture is rather dark, which can hide details.',
      ]);
      const text = JSON.stringify(friendly).replace(FRIENDLY_TEMPLATES_VERSION, '');
      expect(text, label).not.toMatch(/\d/);
    }
  });

  it('shows a patient the friendly text only, and the suggestions only to roles allowed', async () => {
    const id = storedReading('expert', chestAnalysis(scanId, 'pneumonia', 0.88), 'private notes');
    const patient = await addUser(t, admin, 'pat', 'patient', undefined, patientId);
    const asPatient = await t.ok('readings.get', { id }, patient.token);
    expect(asPatient.friendly?.template).toBe('pneumonia');
    expect(asPatient.expert).toBeNull();
    expect(asPatient.suggestions).toBeNull();
    expect(JSON.stringify(asPatient)).not.toContain('private notes');
    expect((await t.fail('readings.suggestTreatment', { id }, patient.token)).code).toBe(
      'PERMISSION_DENIED',
    );

    const tech = await addUser(t, admin, 'tech', 'technologist');
    const asTech = await t.ok('readings.get', { id }, tech.token);
    expect(asTech.expert?.label).toBe('pneumonia');
    expect(asTech.suggestions).toBeNull();

    const doctor = await addUser(t, admin, 'doc', 'doctor');
    expect((await t.fail('readings.get', { id }, doctor.token)).code).toBe('NOT_FOUND');
    await t.ok('careTeam.assign', { doctorId: doctor.user.id, patientId }, admin);
    const asDoctor = await t.ok('readings.get', { id }, doctor.token);
    expectFromTable(asDoctor.suggestions!);
    const adult = await t.ok('readings.suggestTreatment', { id, patientAge: 67 }, doctor.token);
    expect(adult.suggestions.map((s) => s.id)).toEqual(['pneumonia-adult']);
    expectFromTable(adult);
    const child = await t.ok(
      'readings.suggestTreatment',
      { id, patientAge: 6, symptoms: 'cough', patientGender: 'female' },
      admin,
    );
    expect(child.suggestions.map((s) => s.id)).toEqual(['pneumonia-child']);
    expect(child.suggestions[0]?.source.publisher).toBe('British Thoracic Society');

    // Another patient's account sees nothing of it.
    const other = await t.ok('patients.create', { name: 'Other, Pat' }, admin);
    const stranger = await addUser(t, admin, 'other', 'patient', undefined, other.id);
    expect((await t.fail('readings.get', { id }, stranger.token)).code).toBe('NOT_FOUND');
  });

  it('answers only table entries for every finding and age group', async () => {
    for (const [label, p] of [
      ['pneumonia', 0.7],
      ['normal', 0.1],
    ] as const) {
      const id = storedReading('expert', chestAnalysis(scanId, label, p));
      for (const patientAge of [undefined, 0, 17, 18, 90]) {
        const answer = await t.ok(
          'readings.suggestTreatment',
          { id, ...(patientAge !== undefined && { patientAge }) },
          admin,
        );
        expect(answer.suggestions.length, `${label} ${patientAge}`).toBeGreaterThan(0);
        expectFromTable(answer);
      }
    }
  });

  it('refuses suggestions before the reading is done, and a reading of a missing scan', async () => {
    const requested = await t.ok('readings.request', { scanId, kind: 'expert' }, admin);
    const early = await t.call('readings.suggestTreatment', { id: requested.reading.id }, admin);
    // Either still running (CONFLICT) or already done; never text from outside the table.
    if (!early.ok) expect(early.error.code).toBe('CONFLICT');
    expect(
      (await t.fail('readings.request', { scanId: randomUUID(), kind: 'friendly' }, admin)).code,
    ).toBe('NOT_FOUND');
    expect(
      (await t.fail('readings.request', { scanId, kind: 'expert', priority: 'URGENT' }, admin))
        .code,
    ).toBe('INVALID_INPUT');
  });
});

describe('X-ray reading requests in the job queue', () => {
  let t: TestCore;
  afterEach(() => t.dispose());

  it('runs a HIGH expert reading before LOW readings that were waiting, with the real analysis', async () => {
    // Jobs do not run until started, so the readings wait in the queue as they would behind work.
    t = startTestCore({ runJobs: false, jobConcurrency: 1 });
    const admin = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
    const path = join(t.inputDir, 'film.png');
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => (x > 20 && x < 30 && y > 20 && y < 30 ? 250 : 60)),
    );
    const batch = t.core.importer.openBatch({});
    await batch.add(await t.core.importer.prepareFile(path, {}));
    const scanId = (await batch.commit())[0]?.item.scanId as string;

    const lows = [];
    for (let i = 0; i < 3; i++)
      lows.push(
        (await t.ok('readings.request', { scanId, kind: 'friendly', priority: 'LOW' }, admin))
          .reading,
      );
    const high = await t.ok(
      'readings.request',
      { scanId, kind: 'expert', priority: 'HIGH', notes: 'Urgent: short of breath.' },
      admin,
    );
    expect(high.reading).toMatchObject({ status: 'pending', priority: 'HIGH', friendly: null });
    expect(high.estimatedTime).toBe('2 minutes');
    expect((await t.ok('jobs.get', { id: high.reading.id }, admin)).priority).toBe('HIGH');

    const started: string[] = [];
    t.core.events.subscribe((name, payload) => {
      const { job } = payload as { job: Job };
      if (name === 'jobs.updated' && job.status === 'processing' && !started.includes(job.id))
        started.push(job.id);
    });
    t.core.jobs.start();
    await t.core.jobs.whenIdle();
    expect(started).toEqual([high.reading.id, ...lows.map((r) => r.id)]);

    const done = await t.ok('readings.get', { id: high.reading.id }, admin);
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.analysisId).not.toBeNull();
    // Only a brain model is installed here: the chest model did not read it, and the reading says so.
    expect(done.friendly?.template).toBe('not-read');
    expect(done.expert?.notes).toBe('Urgent: short of breath.');
    expect(done.suggestions?.suggestions).toEqual([]);
    expect(done.suggestions?.disclaimer).toBe(XRAY_SUGGESTIONS_DISCLAIMER);
    const audit = t.core.db
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'readings.%'")
      .all() as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toContain('readings.request');
  });
});
