#!/usr/bin/env node
// Sync benchmark (issue 17, docs/sync.md), on loopback, all parts real:
//   1. receive  — dcmtk's storescu sends a generated study (default 1,500 MR slices, 128x128,
//                 16-bit) to Neurosphere's C-STORE listener (each instance stored durably and
//                 recorded before its answer), then the same files to Orthanc (Debian's) in the
//                 same run: files/s of each and their ratio;
//   2. faults   — the outbox sync sends the received study to a fresh Orthanc through a TCP
//                 proxy that refuses connections, cuts them mid-transfer and slows answers, until
//                 at least --faults (1,000) faults were injected and every item is confirmed;
//                 then counts at Orthanc: instances lost and duplicated (both must be 0).
//   3. STOW-RS  — the outbox sync sends the study by STOW-RS (docs/dicomweb.md, 25 instances a
//                 request) to a fresh Orthanc's DICOMweb plugin; beside it, in the same run,
//                 Orthanc's own rates for the same files: a bare STOW-RS of the same requests (no
//                 outbox, no bookkeeping) and its REST API (POST /instances, a file a request),
//                 each into a fresh Orthanc; every count checked at Orthanc.
// Usage: npm run bench:sync [-- --files 1500 --faults 1000] [--stow-only]
//   --stow-only: receive the study into the listener, then step 3 only (skips the storescu →
//   Orthanc comparison of step 1 and step 2).
import './bench-audit-key.mjs';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const dist = (path) => join(root, 'dist', 'src-main', path);
const { makeDicom, fixtureUid } = await import(dist('test-support/dicom-fixtures.js'));
const { startOrthanc, hasOrthanc } = await import(dist('test-support/orthanc.js'));
const { startFaultProxy } = await import(dist('test-support/fault-proxy.js'));
const { createCore } = await import(dist('core/core.js'));
const { resolveAuditKey } = await import(dist('core/audit/audit-key-store.js'));
const { memoryLogger } = await import(dist('core/platform/logger.js'));
const { createDicomWebClient } = await import(dist('core/dicomweb/dicomweb-client.js'));
const { readFileSync, readdirSync } = await import('node:fs');

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args[args.indexOf(name) + 1] ?? 0) || fallback;
const count = option('--files', 1500);
const wantedFaults = option('--faults', 1000);
const stowOnly = args.includes('--stow-only');
if (!hasOrthanc()) {
  console.error('Orthanc is not installed (apt install orthanc): the benchmark needs it.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'ns-bench-sync-'));
const folder = join(work, 'study');
mkdirSync(folder);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const since = (start) => (performance.now() - start) / 1000;
const run = (cmd, argv) =>
  new Promise((resolve, reject) =>
    execFile(cmd, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`Generating ${count} DICOM files (128x128, 16-bit MR) …`);
const study = fixtureUid();
const series = fixtureUid();
for (let i = 0; i < count; i++)
  writeFileSync(
    join(folder, `IM${String(i).padStart(5, '0')}.dcm`),
    makeDicom({
      rows: 128,
      columns: 128,
      modality: 'MR',
      studyInstanceUid: study,
      seriesInstanceUid: series,
      sopInstanceUid: `${series}.${i + 1}`,
      instanceNumber: i + 1,
      imagePosition: [0, 0, i],
      patientId: 'BENCH-SYNC',
      pixel: (r, c) => (r * 7 + c * 3 + i) % 4096,
    }),
  );

const dataDir = join(work, 'data');
const core = createCore({
  dataDir,
  auditKey: await resolveAuditKey({ dataDir, env: process.env }),
  logger: memoryLogger(),
  syncTiming: { backoff: { baseMs: 5, maxMs: 100 }, batchSize: 25, timeoutMs: 5_000 },
});
const orthancA = stowOnly ? null : await startOrthanc(join(work, 'orthanc-a'));
const orthancB = stowOnly ? null : await startOrthanc(join(work, 'orthanc-b'));
const stowOrthancs = [];
let proxy;
try {
  // 1. Receive rate: our listener, then Orthanc, the same files in the same run.
  const port = await core.dicomNode.startListener({ port: 0, bindAddress: '127.0.0.1' });
  let started = performance.now();
  await run('storescu', ['+sd', '-aec', 'NEUROSPHERE', '127.0.0.1', String(port), folder]);
  const ours = since(started);
  await core.dicomNode.stopListener();
  const received = core.db.prepare('SELECT COUNT(*) AS n FROM instances').get().n;
  console.log(
    `receive (storescu → listener): ${received}/${count} instances in ${fmt(ours, 1)} s = ${fmt(count / ours, 1)} files/s`,
  );
  if (!stowOnly) {
    started = performance.now();
    await run('storescu', [
      '+sd',
      '-aec',
      'ORTHANC',
      '127.0.0.1',
      String(orthancA.dicomPort),
      folder,
    ]);
    const theirs = since(started);
    const stats = await orthancA.rest('/statistics');
    console.log(
      `Orthanc store (storescu → Orthanc): ${stats.CountInstances}/${count} instances in ${fmt(theirs, 1)} s = ${fmt(count / theirs, 1)} files/s`,
    );
    console.log(`ratio listener/Orthanc: ${fmt(theirs / ours, 2)}×`);

    // 2. Sync through faults to a fresh Orthanc, counted there.
    proxy = await startFaultProxy(orthancB.dicomPort);
    core.dicomNode.saveDestination(
      { id: 'bench', name: 'Bench PACS', aeTitle: 'ORTHANC', host: '127.0.0.1', port: proxy.port },
      new Date().toISOString(),
    );
    core.sync.configure({
      destinations: [
        {
          destinationId: 'bench',
          originals: true,
          segmentations: true,
          reports: true,
          deidentify: false,
        },
      ],
    });
    // Until enough faults were injected, every association meets one: refused (15 %), or cut
    // after 2-45 KB (most before their first ~33 KB file is confirmed, some after one), a few of
    // those also slowed. Then the proxy lets the rest through.
    const faulting = () => proxy.faults() < wantedFaults;
    proxy.setPlan({
      refuse: () => faulting() && Math.random() < 0.15,
      dropAfterBytes: () => (faulting() ? 2_000 + Math.floor(Math.random() * 43_000) : null),
      answerDelayMs: () => (faulting() && Math.random() < 0.05 ? 20 : 0),
    });
    started = performance.now();
    const { waiting } = await core.sync.runUntilDone({ deadline: Date.now() + 30 * 60_000 });
    const syncSeconds = since(started);
    const expected = core.db
      .prepare("SELECT sop_instance_uid AS uid FROM sync_items WHERE destination_id = 'bench'")
      .all()
      .map((r) => r.uid);
    const at = (await orthancB.rest('/instances?expand')).map(
      (i) => i.MainDicomTags.SOPInstanceUID,
    );
    const atSet = new Set(at);
    const expectedSet = new Set(expected);
    const lost = expected.filter((uid) => !atSet.has(uid)).length;
    const duplicated = at.length - atSet.size + at.filter((uid) => !expectedSet.has(uid)).length;
    const c = proxy.counts;
    console.log(
      `sync under faults: ${expected.length} items, ${waiting} still waiting, in ${fmt(syncSeconds, 1)} s; ` +
        `${proxy.faults()} faults injected (${c.dropped} connections cut mid-transfer, ${c.refused} refused, ${c.slowed} answering slowly) over ${c.connections} connections`,
    );
    console.log(
      `counted at Orthanc: ${at.length} instances, ${lost} lost, ${duplicated} duplicated`,
    );
    if (lost !== 0 || duplicated !== 0 || waiting !== 0 || proxy.faults() < wantedFaults)
      process.exitCode = 1;
  }

  // 3. STOW-RS send rate, beside Orthanc's own STOW-RS and REST receive of the same files.
  console.log(
    `load average before STOW-RS: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const [stowC, stowD, stowE] = [
    await startOrthanc(join(work, 'orthanc-c')),
    await startOrthanc(join(work, 'orthanc-d')),
    await startOrthanc(join(work, 'orthanc-e')),
  ];
  stowOrthancs.push(stowC, stowD, stowE);
  const countAt = async (orthanc) => (await orthanc.rest('/statistics')).CountInstances;
  core.dicomNode.saveDestination(
    {
      id: 'stow',
      name: 'STOW PACS',
      aeTitle: 'ORTHANC',
      host: '127.0.0.1',
      port: stowC.dicomPort,
      dicomweb: { url: `${stowC.httpUrl}/dicom-web`, auth: 'none' },
    },
    new Date().toISOString(),
  );
  core.sync.configure({
    destinations: [
      ...(stowOnly
        ? []
        : [
            {
              destinationId: 'bench',
              originals: true,
              segmentations: true,
              reports: true,
              deidentify: false,
            },
          ]),
      {
        destinationId: 'stow',
        originals: true,
        segmentations: false,
        reports: false,
        deidentify: false,
      },
    ],
  });
  started = performance.now();
  const stowRun = await core.sync.runUntilDone({ deadline: Date.now() + 30 * 60_000 });
  const stowSeconds = since(started);
  const stowItems = core.db
    .prepare(
      "SELECT COUNT(*) AS n FROM sync_items WHERE destination_id = 'stow' AND state = 'sent'",
    )
    .get().n;
  const atC = await countAt(stowC);
  console.log(
    `STOW-RS send (outbox sync → Orthanc DICOMweb, 25 a request): ${stowItems} items sent, ${atC}/${count} at Orthanc, ${stowRun.waiting} waiting, in ${fmt(stowSeconds, 1)} s = ${fmt(count / stowSeconds, 1)} files/s`,
  );
  const files = readdirSync(folder)
    .sort()
    .map((name) => join(folder, name));
  const bare = createDicomWebClient({ url: `${stowD.httpUrl}/dicom-web`, auth: 'none' }, null, {
    timeoutMs: 60_000,
  });
  started = performance.now();
  for (let i = 0; i < files.length; i += 25)
    await bare.store(files.slice(i, i + 25).map((f) => readFileSync(f)));
  const bareSeconds = since(started);
  const atD = await countAt(stowD);
  console.log(
    `Orthanc STOW-RS receive (bare requests, same files, 25 a request): ${atD}/${count} in ${fmt(bareSeconds, 1)} s = ${fmt(count / bareSeconds, 1)} files/s`,
  );
  started = performance.now();
  for (const file of files) {
    const response = await fetch(`${stowE.httpUrl}/instances`, {
      method: 'POST',
      body: new Uint8Array(readFileSync(file)),
    });
    await response.arrayBuffer();
  }
  const restSeconds = since(started);
  const atE = await countAt(stowE);
  console.log(
    `Orthanc REST receive (POST /instances, a file a request): ${atE}/${count} in ${fmt(restSeconds, 1)} s = ${fmt(count / restSeconds, 1)} files/s`,
  );
  console.log(
    `ratio STOW-RS send / Orthanc STOW-RS receive: ${fmt(bareSeconds / stowSeconds, 2)}×; / Orthanc REST: ${fmt(restSeconds / stowSeconds, 2)}×`,
  );
  if (atC !== count || stowRun.waiting !== 0) process.exitCode = 1;
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await proxy?.close();
  await orthancA?.stop();
  await orthancB?.stop();
  for (const orthanc of stowOrthancs) await orthanc.stop();
  await core.close();
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
