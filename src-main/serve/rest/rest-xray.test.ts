import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src-shared/contract/analysis.js';
import {
  XRAY_SUGGESTIONS,
  XRAY_SUGGESTIONS_DISCLAIMER,
} from '../../../src-shared/clinical/xray-suggestions.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import { createAnalysesRepo } from '../../core/analysis/analyses-repo.js';
import { createReadingsRepo } from '../../core/readings/readings-repo.js';
import { setUpAdmin, startTestServer, type TestServer } from '../testing/test-server.js';
import { expectShape, jsonOf } from './testing/rest-expect.js';

/**
 * The doctor/patient seed's X-ray examples replayed against a real `serve`: uploads, reading
 * jobs with priorities, task status and WebSocket, suggestions from the table only.
 */
let ctx: TestServer;
let modelsDir: string;
let url: string;
let token: string;
const bearer = () => ({ Authorization: `Bearer ${token}` });

let pictures = 0;
function xrayPng(): Blob {
  const background = 30 + (pictures++ % 40);
  return new Blob(
    [makePng(48, 48, (x, y) => ((x - 24) ** 2 + (y - 24) ** 2 < 300 ? 180 : background))],
    {
      type: 'image/png',
    },
  );
}

async function postForm(path: string, fields: Record<string, string | Blob>): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields))
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, 'chest.png');
  return fetch(`${url}${path}`, { method: 'POST', headers: bearer(), body: form });
}

async function taskStatus(taskId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const body = await jsonOf(
      await fetch(`${url}/api/tasks/status/${taskId}`, { headers: bearer() }),
    );
    const data = body['data'] as Record<string, unknown>;
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(data['status'] as string)) return data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${taskId} did not end`);
}

beforeAll(async () => {
  modelsDir = mkdtempSync(join(tmpdir(), 'neurosphere-xray-models-'));
  installFlairIdentityModel(modelsDir);
  // Uploads are analysed automatically, as `serve` does by default.
  ctx = await startTestServer({ core: { modelsDir, analyseImports: true } });
  url = ctx.server.url;
  token = await setUpAdmin(ctx.server);
}, 60_000);
afterAll(async () => {
  await ctx.cleanup();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe('doctor/patient seed: /xray', () => {
  it('POST /xray/friendly-analysis (multipart file) → task_id; the task status answers the friendly reading', async () => {
    const response = await postForm('/api/xray/friendly-analysis', {
      file: xrayPng(),
      include_suggestions: 'true',
    });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body['success']).toBe(true);
    expectShape(body['data'], { task_id: 'string', estimated_time: 'string' }, 'data');
    const taskId = (body['data'] as Record<string, string>)['task_id'] as string;
    const done = await taskStatus(taskId);
    expect(done).toMatchObject({ task_id: taskId, status: 'COMPLETED', progress: 100 });
    const result = done['result'] as { type: string; data: Record<string, unknown> };
    expect(result.type).toBe('xray-reading');
    expect(result.data).toMatchObject({ id: taskId, kind: 'friendly', status: 'completed' });
    // Only a brain model is installed: the chest model did not read it, and the text says so.
    expect(result.data['friendly']).toMatchObject({ template: 'not-read' });
    expect((result.data['friendly'] as { nextStep: string }).nextStep).toMatch(
      /Your doctor will discuss/,
    );
  }, 30_000);

  it('POST /xray/expert-analysis (file, additional_notes, priority) → task_id, priority; WebSocket updates to COMPLETED', async () => {
    const response = await postForm('/api/xray/expert-analysis', {
      file: xrayPng(),
      additional_notes: 'Cough for two weeks.',
      priority: 'HIGH',
    });
    expect(response.status).toBe(200);
    const data = (await jsonOf(response))['data'] as Record<string, unknown>;
    expectShape(data, { task_id: 'string', priority: 'string', estimated_time: 'string' }, 'data');
    expect(data['priority']).toBe('HIGH');
    const taskId = data['task_id'] as string;
    const messages = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const received: Array<Record<string, unknown>> = [];
      const socket = new WebSocket(
        `${url.replace('http', 'ws')}/api/tasks/status/ws?token=${token}&task_ids=${taskId}`,
      );
      socket.on('message', (raw: Buffer) => {
        const message = JSON.parse(raw.toString()) as Record<string, unknown>;
        received.push(message);
        if (message['status'] === 'COMPLETED' || message['status'] === 'FAILED') {
          socket.close();
          resolve(received);
        }
      });
      socket.on('error', reject);
      setTimeout(() => reject(new Error(JSON.stringify(received))), 20_000).unref();
    });
    expect(messages.at(-1)).toMatchObject({ task_id: taskId, status: 'COMPLETED', progress: 100 });
    const result = (await taskStatus(taskId))['result'] as { data: Record<string, unknown> };
    expect(result.data['expert']).toMatchObject({
      notes: 'Cough for two weeks.',
      priority: 'HIGH',
    });

    const bad = await postForm('/api/xray/expert-analysis', {
      file: xrayPng(),
      priority: 'URGENT',
    });
    expect(bad.status).toBe(422);
    expect(await jsonOf(bad)).toMatchObject({ success: false, error: { code: 'INVALID_INPUT' } });
    const none = await postForm('/api/xray/friendly-analysis', { include_suggestions: 'false' });
    expect(none.status).toBe(400);
  }, 30_000);

  it('POST /xray/suggest-treatment: every suggestion is a table entry, always with the disclaimer', async () => {
    // A finished reading over a stored chest analysis (the chest pipeline is tested elsewhere).
    const scanUpload = await postForm('/api/xray/friendly-analysis', { file: xrayPng() });
    const taskId = ((await jsonOf(scanUpload))['data'] as Record<string, string>)[
      'task_id'
    ] as string;
    const reading = (await taskStatus(taskId))['result'] as { data: { scanId: string } };
    const db = ctx.server.core.db;
    const analysis: Analysis = {
      id: randomUUID(),
      scanId: reading.data.scanId,
      jobId: null,
      createdAt: new Date().toISOString(),
      pipeline: 'chest-xray',
      models: { segmentation: null, classification: null },
      provider: 'cpu',
      providerNote: null,
      applicability: { verdict: 'applicable', reasons: [], checkedFrom: [] },
      warnings: [],
      notes: '',
      imageQuality: null,
      input: { format: 'png', dimensions: [48, 48, 1], voxelSizes: null, units: 'pixels' },
      findings: {
        kind: 'chest-xray',
        label: 'pneumonia',
        probabilities: { normal: 0.1, pneumonia: 0.9 },
        threshold: 0.5,
        qualityNotes: [],
        statement: 'Pneumonia suggested (p = 0.90)',
      },
      timings: { loadMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 0 },
      outputs: { hasMask: false, hasHeatmap: false, hasOverlay: false },
    };
    createAnalysesRepo(db).insert(analysis, {
      maskSha256: null,
      heatmapSha256: null,
      overlaySha256: null,
    });
    createReadingsRepo(db).setAnalysis(taskId, analysis.id);

    for (const patientAge of [undefined, 8, 54]) {
      const response = await fetch(`${url}/api/xray/suggest-treatment`, {
        method: 'POST',
        headers: { ...bearer(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          analysis_task_id: taskId,
          symptoms: 'fever, productive cough',
          ...(patientAge !== undefined && { patient_age: patientAge }),
          patient_gender: 'male',
        }),
      });
      expect(response.status).toBe(200);
      const data = (await jsonOf(response))['data'] as {
        suggestions: Array<Record<string, unknown>>;
        disclaimer: string;
        table_version: string;
      };
      expect(data.disclaimer).toBe(XRAY_SUGGESTIONS_DISCLAIMER);
      expect(data.suggestions.length).toBe(patientAge === undefined ? 2 : 1);
      for (const suggestion of data.suggestions) {
        expectShape(
          suggestion,
          { condition: 'string', confidence: 'number', treatment: 'string', precautions: 'string' },
          'suggestion',
        );
        const entry = XRAY_SUGGESTIONS.find((e) => e.id === suggestion['entry_id']);
        expect(entry).toBeDefined();
        expect(suggestion['condition']).toBe(entry?.condition);
        expect(suggestion['treatment']).toBe(entry?.treatment);
        expect(suggestion['precautions']).toBe(entry?.precautions);
        expect(suggestion['confidence']).toBeCloseTo(0.9);
      }
    }
    const missing = await fetch(`${url}/api/xray/suggest-treatment`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ symptoms: 'none' }),
    });
    expect(missing.status).toBe(422);
  }, 30_000);

  it('an X-ray uploaded for a reading is analysed once (by the reading), not also by the automatic analysis', async () => {
    const db = ctx.server.core.db;
    const analysesOf = (scanId: string): number =>
      (
        db.prepare('SELECT COUNT(*) AS n FROM analyses WHERE scan_id = ?').get(scanId) as {
          n: number;
        }
      ).n;
    const analysisJobsOf = (scanId: string): number =>
      (
        db
          .prepare(
            "SELECT COUNT(*) AS n FROM jobs WHERE type = 'analysis.run' AND json_extract(payload, '$.scanId') = ?",
          )
          .get(scanId) as { n: number }
      ).n;

    // Control: a plain upload is analysed automatically (so the count below can fail).
    const plain = await postForm('/api/scans/upload', { file: xrayPng() });
    expect(plain.status).toBe(201);
    const plainScan = (await jsonOf(plain))['scanId'] as string;
    await expect.poll(() => analysesOf(plainScan), { timeout: 20_000 }).toBe(1);
    expect(analysisJobsOf(plainScan)).toBe(1);

    for (const path of ['/api/xray/friendly-analysis', '/api/xray/expert-analysis']) {
      const response = await postForm(path, { file: xrayPng(), priority: 'HIGH' });
      const taskId = ((await jsonOf(response))['data'] as Record<string, string>)[
        'task_id'
      ] as string;
      const done = await taskStatus(taskId);
      expect(done['status']).toBe('COMPLETED');
      const scanId = (done['result'] as { data: { scanId: string } }).data.scanId;
      await ctx.server.core.jobs.whenIdle();
      expect(analysesOf(scanId), path).toBe(1);
      expect(analysisJobsOf(scanId), path).toBe(0);
    }
  }, 60_000);
});
