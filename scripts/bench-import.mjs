#!/usr/bin/env node
// Import benchmark: generates a folder of 512x512 16-bit DICOM slices (default 1,500, ~0.75 GB),
// warms the page cache, then prints
//   raw read   — reading every file (the physical limit),
//   index      — reading, parsing and validating every file in the imaging workers, grouping
//                them into series and assembling the volumes (what the import does before it
//                copies anything),
//   copy       — the full import into a fresh data dir (inspect, blob store with fsyncs,
//                database rows), beside `cp -r` + `sync` of the same folder, and their ratio,
//   encrypted  — the same import into a fresh encrypted data dir (SQLCipher database, AES-256-GCM
//                blobs; docs/encryption.md), its files/s beside the plain import's,
// and the peak memory (max RSS) of this process, which holds no study's pixels.
// Usage: npm run bench:import [-- --files 1500 --keep]
import './bench-audit-key.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const dist = (path) => join(root, 'dist', 'src-main', path);
const { makeDicom, fixtureUid } = await import(dist('test-support/dicom-fixtures.js'));
const { createImagingClient } = await import(dist('core/imaging/imaging-client.js'));
const { assembleVolume } = await import(dist('core/imaging/volume.js'));
const { createCore } = await import(dist('core/core.js'));
const { resolveAuditKey } = await import(dist('core/audit/audit-key-store.js'));
const { TEST_KDF } = await import(dist('core/auth/password-hasher.js'));
const { memoryLogger } = await import(dist('core/platform/logger.js'));
const { initialiseEncryption } = await import(dist('core/encryption/data-dir-encryption.js'));
const { fileWrappingKeyStore } = await import(dist('core/encryption/wrapping-key-store.js'));

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--files') + 1] ?? 0) || 1500;
const work = mkdtempSync(join(tmpdir(), 'ns-bench-'));
const folder = join(work, 'study');
mkdirSync(folder);

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const seconds = (start) => (performance.now() - start) / 1000;

console.log(`Generating ${count} DICOM files (512x512, 16-bit) in ${folder} …`);
const study = fixtureUid();
const seriesCount = 3;
const series = Array.from({ length: seriesCount }, () => fixtureUid());
const pixel = (r, c) => (r * 3 + c) % 4096;
for (let i = 0; i < count; i++) {
  const s = i % seriesCount;
  writeFileSync(
    join(folder, `IM${String(i).padStart(5, '0')}.dcm`),
    makeDicom({
      rows: 512,
      columns: 512,
      studyInstanceUid: study,
      seriesInstanceUid: series[s],
      sopInstanceUid: `${series[s]}.${i}`,
      instanceNumber: Math.floor(i / seriesCount) + 1,
      imagePosition: [0, 0, Math.floor(i / seriesCount) * 1.5],
      patientId: 'BENCH-1',
      pixel,
    }),
  );
}
const files = readdirSync(folder).map((name) => join(folder, name));
// Flush the generated files now, so neither the import nor cp + sync pays for writing them.
execFileSync('sync');

// Warm the page cache, then measure the raw read of the same files.
let bytes = 0;
for (const file of files) bytes += readFileSync(file).length;
let start = performance.now();
for (const file of files) readFileSync(file);
const readSeconds = seconds(start);
const readRate = files.length / readSeconds;

// Index: parse + validate in the worker pool (as the import does), group, assemble volumes.
const imaging = createImagingClient({
  workers: Math.max(2, cpus().length),
  taskTimeoutMs: 30_000,
  maxHeapMb: 512,
  maxFileBytes: 500 * 1024 * 1024,
  maxDecodedBytes: 2 * 1024 ** 3,
});
await imaging.inspect(files[0]); // start the workers outside the measurement
start = performance.now();
const bySeries = new Map();
let next = 0;
async function lane() {
  while (next < files.length) {
    const path = files[next++];
    const inspection = await imaging.inspect(path);
    if (inspection.kind !== 'dicom') throw new Error(`${path}: ${inspection.kind}`);
    const h = inspection.header;
    const list = bySeries.get(h.seriesInstanceUid) ?? [];
    list.push({
      fileId: path,
      frameNumber: 0,
      label: h.sopInstanceUid,
      rows: h.rows,
      columns: h.columns,
      imageType: h.imageType,
      position: h.imagePosition,
      orientation: h.imageOrientation,
    });
    bySeries.set(h.seriesInstanceUid, list);
  }
}
await Promise.all(Array.from({ length: 16 }, lane));
const volumes = [...bySeries.values()].map((c) =>
  assembleVolume(c, { pixelSpacing: [0.8, 0.9], fallbackSliceSpacing: null }),
);
const indexSeconds = seconds(start);
const indexRate = files.length / indexSeconds;
await imaging.close();

// Copy: the full import into a data dir, against cp -r + one sync of the same folder.
/** Imports the folder into a fresh data dir, plain or encrypted; answers the job and seconds. */
async function importInto(dataDir, encryption) {
  const core = createCore({
    dataDir,
    // The key file of scripts/bench-audit-key.mjs, outside the throwaway data folder.
    auditKey: await resolveAuditKey({ dataDir: dataDir, env: process.env }),
    encryption,
    kdf: TEST_KDF,
    runJobs: true,
    modelsDir: join(work, 'no-models'),
    logger: memoryLogger(),
  });
  const begin = performance.now();
  const principal = { kind: 'system', name: 'bench', role: 'admin' };
  const started = await core.router.call(
    'import.files',
    { paths: [folder] },
    { transport: 'cli', principal },
  );
  if (!started.ok) throw new Error(started.error.message);
  const finished = await core.jobs.whenFinished(started.value.id);
  const took = seconds(begin);
  await core.close();
  return { job: finished, seconds: took };
}
const plainRun = await importInto(join(work, 'data'), null);
const job = plainRun.job;
const importSeconds = plainRun.seconds;
execFileSync('sync');
// The same import into an encrypted data dir, its key in a file beside it (not in the keychain).
const encryptedDir = join(work, 'data-encrypted');
const encryption = await initialiseEncryption(
  encryptedDir,
  fileWrappingKeyStore(join(work, 'data-encrypted.key'), encryptedDir),
);
const encryptedRun = await importInto(encryptedDir, encryption);
execFileSync('sync');
start = performance.now();
execFileSync('cp', ['-r', folder, join(work, 'copy')]);
execFileSync('sync');
const cpSeconds = seconds(start);

const peakMb = process.resourceUsage().maxRSS / 1024;
console.log('');
console.log(
  `files: ${files.length} (${fmt(bytes / 1e6)} MB, ${volumes.length} series of ${volumes.map((v) => v.dims[2]).join('/')} slices), ${cpus().length} cores`,
);
console.log(
  `raw read (page cache):  ${fmt(readRate)} files/s  (${fmt(bytes / 1e6 / readSeconds)} MB/s)  — the physical limit`,
);
console.log(
  `index (parse+validate+group+volumes): ${fmt(indexRate)} files/s  = ${fmt((100 * indexRate) / readRate, 1)}% of raw read  (target ≥ 2,000 files/s)`,
);
const importRate = files.length / importSeconds;
const cpRate = files.length / cpSeconds;
console.log(
  `import into the store (${job.status}): ${fmt(importRate)} files/s  vs cp -r + sync: ${fmt(cpRate)} files/s  = ${fmt(cpRate / importRate, 2)}× slower than cp + sync  (target ≤ 2×)`,
);
const encryptedRate = files.length / encryptedRun.seconds;
console.log(
  `encryption at rest (${encryptedRun.job.status}): plain ${fmt(importRate)} files/s  vs encrypted ${fmt(encryptedRate)} files/s  = ${fmt((100 * (importRate - encryptedRate)) / importRate, 1)}% slower`,
);
console.log(
  `peak memory (max RSS, whole process incl. workers): ${fmt(peakMb)} MB for a ${fmt(bytes / 1e6)} MB study`,
);
if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
