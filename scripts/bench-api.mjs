#!/usr/bin/env node
// REST API benchmark: a temp data dir with 10,000 scans (inserted through the scans repo after
// the migrations, as an import would leave them, without pixels), each with a stored analysis
// (40 % positive, with a detection, as the analysis job stores them), a real `serve` on a free port,
// then p50/p99 over HTTP of the Neurosphere seed's
//   GET /api/scans?page=…&limit=10, GET /api/scans/{id}, GET /api/scans/{id}/status
// beside the same reads over the RPC (scans.listWithAnalyses, scans.get). Goal p99 ≤ 20 ms (the seed: 500 ms).
// Usage: npm run bench:api [-- --scans 10000 --requests 400]
import './bench-audit-key.mjs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const dist = (path) => join(root, 'dist', 'src-main', path);
const { openDatabase } = await import(dist('core/db/connection.js'));
const { migrate } = await import(dist('core/db/migrate.js'));
const { createScansRepo } = await import(dist('core/scans/scans-repo.js'));
const { createAnalysesRepo } = await import(dist('core/analysis/analyses-repo.js'));
const { startServer } = await import(dist('serve/server.js'));
const { TEST_KDF } = await import(dist('core/auth/password-hasher.js'));
const { memoryLogger } = await import(dist('core/platform/logger.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args[args.indexOf(`--${name}`) + 1] ?? 0) || fallback;
const scanCount = option('scans', 10_000);
const requests = option('requests', 400);
const GOAL_MS = 20;

const work = mkdtempSync(join(tmpdir(), 'ns-bench-api-'));
const dataDir = join(work, 'data');

/** An analysis as the brain MR pipeline stores one for a 2D slice: one lesion, or none. */
function benchAnalysis(scanId, createdAt, isPositive) {
  const detection = {
    detectionId: 'lesion-1',
    class: 'tumour',
    confidence: 0.91,
    voxelCount: 5258,
    units: 'pixels',
    boundingBox: { voxels: { min: [80, 60, 0], max: [168, 154, 0] }, mm: null },
    centroid: { voxels: [124.2, 107.9, 0], mm: null },
    metrics: {
      kind: 'slice',
      area: 5258,
      perimeter: 301.4,
      diameter: 95.3,
      circularity: 0.73,
      elongation: 1.07,
    },
    size: '89 × 95 px (area 5258 px²)',
    location: {
      approximate: true,
      hemisphere: 'Right',
      region: null,
      description: 'Right hemisphere (approximate)',
    },
  };
  return {
    id: randomUUID(),
    scanId,
    jobId: randomUUID(),
    createdAt,
    pipeline: 'brain-mr-tumour',
    models: { segmentation: { id: 'lgg-flair-unet', version: '1.0.0' }, classification: null },
    provider: 'cpu',
    providerNote: null,
    applicability: { verdict: 'applicable', reasons: [], checkedFrom: ['image-geometry'] },
    warnings: [],
    notes: '',
    imageQuality: { score: 0.92, issues: [] },
    input: { format: 'png', dimensions: [256, 256, 1], voxelSizes: null, units: 'pixels' },
    findings: {
      kind: 'brain-tumour',
      tumourDetected: isPositive,
      location: isPositive ? detection.location.description : null,
      size: isPositive ? detection.size : null,
      overallConfidence: isPositive ? 0.91 : 0.97,
      detections: isPositive ? [detection] : [],
      summary: {
        count: isPositive ? 1 : 0,
        totalVolume_mm3: null,
        averageConfidence: isPositive ? 0.91 : null,
        largestDiameter_mm: null,
      },
      classification: null,
      tumourType: {
        status: isPositive ? 'not-assessed' : 'none',
        type: null,
        probability: null,
        statement: isPositive
          ? 'Tumour type not assessed: no type model reads this series.'
          : 'No tumour found.',
        disagreement: null,
      },
    },
    timings: { loadMs: 12, preprocessMs: 4, inferenceMs: 1890, postprocessMs: 61, totalMs: 1982 },
    outputs: { hasMask: isPositive, hasHeatmap: false, hasOverlay: isPositive },
  };
}

console.log(`Inserting ${scanCount.toLocaleString('en-US')} scans into ${dataDir} …`);
{
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'neurosphere.db'));
  migrate(db);
  const scans = createScansRepo(db);
  const analyses = createAnalysesRepo(db);
  const start = Date.parse('2026-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < scanCount; i++) {
      const scanId = randomUUID();
      const createdAt = new Date(start + i * 60_000).toISOString();
      scans.insert(
        {
          id: scanId,
          patientId: null,
          studyId: null,
          seriesId: null,
          kind: 'image',
          format: 'png',
          modality: 'MR',
          description: `bench-${i}.png`,
          rows: 256,
          columns: 256,
          spacing: null,
          acquiredAt: null,
        },
        createdAt,
      );
      const isPositive = i % 5 < 2;
      analyses.insert(benchAnalysis(scanId, createdAt, isPositive), {
        maskSha256: null,
        heatmapSha256: null,
        overlaySha256: null,
      });
    }
  })();
  db.close();
}

const server = await startServer({
  dataDir,
  port: 0,
  staticDir: work,
  core: { kdf: TEST_KDF, logger: memoryLogger() },
  // The benchmark is one user making thousands of requests: no rate limit here.
  rest: { rateLimitPerMinute: 1_000_000_000 },
});

async function rpc(method, input, token) {
  const response = await fetch(`${server.url}/api/rpc/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(input),
  });
  const body = await response.json();
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

try {
  const { token } = await rpc('auth.setup', {
    username: 'bench',
    password: 'quiet harbour lantern 7',
  });
  const auth = { Authorization: `Bearer ${token}` };
  const ids = (await rpc('scans.list', { limit: 500 }, token)).items.map((scan) => scan.id);
  const pages = Math.ceil(scanCount / 10);
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const page = () => 1 + Math.floor(Math.random() * pages);

  async function time(label, call) {
    for (let i = 0; i < 20; i++) await call(); // warm-up
    const samples = [];
    // CPU time of this process (client and server together) per request: unlike wall time it
    // hardly depends on how busy the machine is.
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      await call();
      samples.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpuBefore);
    samples.sort((a, b) => a - b);
    const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    return { label, p50: at(0.5), p99: at(0.99), cpu: (cpu.user + cpu.system) / 1000 / requests };
  }
  const rest = async (path) => {
    const response = await fetch(`${server.url}${path}`, { headers: auth });
    if (response.status !== 200)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await response.json();
  };

  const rows = [
    [
      await time('GET /api/scans?page=…&limit=10', () =>
        rest(`/api/scans?page=${page()}&limit=10`),
      ),
      await time('RPC scans.listWithAnalyses {page, 10}', () =>
        rpc('scans.listWithAnalyses', { page: page(), limit: 10 }, token),
      ),
    ],
    [
      await time('GET /api/scans/{id}', () => rest(`/api/scans/${pick(ids)}`)),
      await time('RPC scans.get', () => rpc('scans.get', { id: pick(ids) }, token)),
    ],
    [
      await time('GET /api/scans/{id}/status', () => rest(`/api/scans/${pick(ids)}/status`)),
      await time('RPC scans.get (status)', () => rpc('scans.get', { id: pick(ids) }, token)),
    ],
  ];
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  const ms = (value) => `${value.toFixed(2).padStart(7)} ms`;
  console.log(
    `\n${scanCount.toLocaleString('en-US')} scans, ${requests} requests each (after 20 warm-up), one client, sequential; load average ${load}:`,
  );
  console.log(
    `${'REST'.padEnd(34)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'CPU/req'.padStart(10)}   | ${'RPC'.padEnd(38)} ${'p50'.padStart(10)} ${'p99'.padStart(10)} ${'CPU/req'.padStart(10)}`,
  );
  let isWithinGoal = true;
  for (const [r, p] of rows) {
    if (r.p99 > GOAL_MS) isWithinGoal = false;
    console.log(
      `${r.label.padEnd(34)} ${ms(r.p50)} ${ms(r.p99)} ${ms(r.cpu)}   | ${p.label.padEnd(38)} ${ms(p.p50)} ${ms(p.p99)} ${ms(p.cpu)}`,
    );
  }
  console.log(
    `\nGoal p99 ≤ ${GOAL_MS} ms on every REST read: ${isWithinGoal ? 'met' : 'NOT met'}.`,
  );
  // The REST reads' rows were committed in batches: the chain must still verify.
  const verified = await rpc('audit.verify', {}, token);
  console.log(
    `Audit trail after the run: ${verified.rows.toLocaleString('en-US')} rows, chain ${verified.ok ? 'valid' : `BROKEN (${verified.issues.length} issues)`}.`,
  );
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
