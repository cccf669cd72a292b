import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headWithSpot, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { startFaultProxy, type FaultProxy } from '../../test-support/fault-proxy.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../../test-support/orthanc.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { systemClock } from '../platform/clock.js';
import { backoffDelayMs } from './backoff.js';

const SEG_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
const PDF_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

interface OrthancInstance {
  ID: string;
  MainDicomTags: { SOPInstanceUID: string };
}

/** What Orthanc holds, counted there: SOP Instance UIDs (sorted), and how many instances. */
async function instancesAt(orthanc: TestOrthanc): Promise<string[]> {
  const list = await orthanc.rest<OrthancInstance[]>('/instances?expand');
  return list.map((i) => i.MainDicomTags.SOPInstanceUID).sort();
}

async function sopClassAt(orthanc: TestOrthanc, sopInstanceUid: string): Promise<string> {
  const found = await orthanc.rest<string[]>('/tools/find', {
    body: { Level: 'Instance', Query: { SOPInstanceUID: sopInstanceUid } },
  });
  const tags = await orthanc.rest<Record<string, string>>(`/instances/${found[0]}/simplified-tags`);
  return tags['SOPClassUID'] ?? '';
}

describe('backoff', () => {
  it('doubles from the base up to the cap, with jitter between half and all of it', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelayMs(a, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(200);
  });
});

describe.skipIf(!hasOrthanc())('outbox sync to a PACS (Orthanc, real C-STORE)', () => {
  let t: TestCore;
  let token: string;
  let orthanc: TestOrthanc;
  let proxy: FaultProxy;

  beforeEach(async () => {
    t = startTestCore({
      clock: systemClock,
      syncTiming: {
        backoff: { baseMs: 20, maxMs: 300 },
        pollMs: 100,
        timeoutMs: 3_000,
        batchSize: 10,
      },
    });
    token = await setupAdmin(t);
    installFlairIdentityModel(join(t.root, 'models'));
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    proxy = await startFaultProxy(orthanc.dicomPort);
    await t.ok(
      'dicom.destinations.save',
      {
        id: 'pacs',
        name: 'Hospital PACS',
        aeTitle: 'ORTHANC',
        host: '127.0.0.1',
        port: proxy.port,
      },
      token,
    );
  }, 60_000);
  afterEach(async () => {
    await proxy.close();
    await orthanc.stop();
    t.dispose();
  });

  /** An analysed FLAIR series with a signed report: originals, a SEG and a PDF to send. */
  async function analysedScanWithSignedReport(slices: number): Promise<string> {
    const dir = join(t.inputDir, `flair-${slices}`);
    writeDicomSeries(dir, slices, {
      rows: 64,
      columns: 64,
      seriesDescription: 'AX FLAIR',
      modality: 'MR',
      pixel: headWithSpot,
    });
    const scanId = await importScan(t, token, [dir]);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'flair-identity',
      classificationModel: null,
    });
    const report = await t.ok('reports.create', { scanId }, token);
    await t.ok('reports.update', { id: report.id, impression: 'A lesion.' }, token);
    await t.ok('reports.sign', { id: report.id }, token);
    return scanId;
  }

  const configure = (deidentify = false) =>
    t.ok(
      'sync.configure',
      {
        destinations: [
          {
            destinationId: 'pacs',
            originals: true,
            segmentations: true,
            reports: true,
            deidentify,
          },
        ],
      },
      token,
    );

  const run = (seconds = 60) => t.core.sync.runUntilDone({ deadline: Date.now() + seconds * 1000 });

  it('sends the originals, the analysis as SEG and the signed report as PDF, once', async () => {
    await analysedScanWithSignedReport(4);
    await configure();
    expect(await run()).toEqual({ waiting: 0 });

    const items = await t.ok('sync.items', { limit: 100 }, token);
    expect(items.map((i) => [i.kind, i.state]).sort()).toEqual([
      ['original', 'sent'],
      ['original', 'sent'],
      ['original', 'sent'],
      ['original', 'sent'],
      ['report', 'sent'],
      ['segmentation', 'sent'],
    ]);
    const expected = items.map((i) => i.sopInstanceUid ?? '').sort();
    expect(await instancesAt(orthanc)).toEqual(expected);
    // In order: the images before the SEG that refers to them, the SEG before the report.
    const sentAt = (kind: string): string[] =>
      items.filter((i) => i.kind === kind).map((i) => i.sentAt ?? '');
    const lastOriginal = sentAt('original').sort().at(-1) ?? '';
    expect(sentAt('segmentation')[0]! >= lastOriginal).toBe(true);
    expect(sentAt('report')[0]! >= (sentAt('segmentation')[0] ?? '')).toBe(true);
    const seg = items.find((i) => i.kind === 'segmentation')?.sopInstanceUid ?? '';
    const pdf = items.find((i) => i.kind === 'report')?.sopInstanceUid ?? '';
    expect(await sopClassAt(orthanc, seg)).toBe(SEG_CLASS);
    expect(await sopClassAt(orthanc, pdf)).toBe(PDF_CLASS);

    // A second run (and a replan of the same outbox) sends nothing new.
    expect(await run()).toEqual({ waiting: 0 });
    const status = await t.ok('sync.run', {}, token);
    expect(status.counts).toMatchObject({ sent: 6, pending: 0, failed: 0 });
    expect(await instancesAt(orthanc)).toEqual(expected);
    expect(status.destinations[0]).toMatchObject({ destinationId: 'pacs', online: true });
    expect(status.destinations[0]?.lastSuccessAt).not.toBeNull();
    const actions = t.core.audit.list(200).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['sync.configure', 'sync.run']));
  }, 90_000);

  it('goes through dropped connections, slow answers, refusals and a PACS restart: 0 lost, 0 duplicated at Orthanc', async () => {
    await analysedScanWithSignedReport(40);
    await configure();
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    proxy.setPlan({
      refuse: () => random() < 0.1,
      // Files are ~8 KB: most associations die after a few files, some mid-file.
      dropAfterBytes: () => (random() < 0.8 ? 2_000 + Math.floor(random() * 40_000) : null),
      answerDelayMs: () => (random() < 0.15 ? 30 : 0),
    });
    const running = run(80);
    // Kill the PACS while the sync runs, and bring it back on another port behind the proxy.
    await waitFor(() => t.core.sync.status().counts.sent >= 10);
    await orthanc.stop();
    proxy.cutAll();
    await new Promise((r) => setTimeout(r, 300));
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    proxy.setUpstream(orthanc.dicomPort);
    expect(await running).toEqual({ waiting: 0 });

    const items = await t.ok('sync.items', { limit: 500 }, token);
    expect(items).toHaveLength(42);
    expect(items.every((i) => i.state === 'sent')).toBe(true);
    const atOrthanc = await instancesAt(orthanc);
    const expected = items.map((i) => i.sopInstanceUid ?? '').sort();
    const lost = expected.filter((uid) => !atOrthanc.includes(uid)).length;
    const extra =
      atOrthanc.length -
      new Set(atOrthanc).size +
      atOrthanc.filter((u) => !expected.includes(u)).length;
    console.log(
      `sync faults: ${proxy.faults()} injected (${proxy.counts.dropped} dropped, ${proxy.counts.refused} refused, ${proxy.counts.slowed} slowed) + 1 PACS restart; ${expected.length} items, ${lost} lost, ${extra} duplicated at Orthanc`,
    );
    expect(proxy.faults()).toBeGreaterThan(10);
    expect(lost).toBe(0);
    expect(extra).toBe(0);
    expect(atOrthanc).toEqual(expected);
  }, 90_000);

  it('pauses, resumes, and keeps to the bandwidth limit', async () => {
    await analysedScanWithSignedReport(12);
    await configure();
    await t.ok('sync.pause', {}, token);
    expect(await run()).toMatchObject({ waiting: 14 });
    expect(await instancesAt(orthanc)).toEqual([]);
    expect((await t.ok('sync.status', {}, token)).paused).toBe(true);

    const limited = await t.ok('sync.configure', { bandwidthKiBps: 32 }, token);
    expect(limited.bandwidthKiBps).toBe(32);
    await t.ok('sync.resume', {}, token);
    const started = performance.now();
    expect(await run()).toEqual({ waiting: 0 });
    const seconds = (performance.now() - started) / 1000;
    const bytes =
      t.core.db.prepare<[], { n: number }>('SELECT SUM(bytes) AS n FROM sync_items').get()?.n ?? 0;
    // Each batch (about a second's worth, plus one file) reserves its bytes at 32 KiB/s before
    // it goes: all but the last batch's bytes take at least bytes / rate.
    const rate = 32 * 1024;
    expect(bytes).toBeGreaterThan(3 * rate);
    expect(seconds).toBeGreaterThanOrEqual((bytes - 2 * rate) / rate);
    console.log(`bandwidth limit 32 KiB/s: ${bytes} bytes in ${seconds.toFixed(1)} s`);
    expect(await instancesAt(orthanc)).toHaveLength(14);
  }, 90_000);

  it('de-identifies for a destination that asks, and keeps the report (it names the patient) back', async () => {
    await analysedScanWithSignedReport(3);
    await configure(true);
    expect(await run()).toEqual({ waiting: 0 });
    const items = await t.ok('sync.items', { limit: 100 }, token);
    expect(items.find((i) => i.kind === 'report')).toMatchObject({
      state: 'skipped',
      lastError: expect.stringMatching(/names the patient/),
    });
    const sent = items.filter((i) => i.state === 'sent');
    expect(sent).toHaveLength(4);
    const patients =
      await orthanc.rest<Array<{ MainDicomTags: { PatientName?: string } }>>('/patients?expand');
    expect(patients).toHaveLength(1);
    expect(patients[0]?.MainDicomTags.PatientName).toMatch(/^ANONYMOUS\^/);
    // A replaced UID for every original: none of the stored ones reached the PACS.
    const stored = t.core.db
      .prepare<[], { uid: string }>('SELECT sop_instance_uid AS uid FROM instances')
      .all()
      .map((r) => r.uid);
    expect((await instancesAt(orthanc)).filter((uid) => stored.includes(uid))).toEqual([]);
  }, 90_000);

  it('fails an item that cannot be made, says why, and retries it on request', async () => {
    // Ultrasound images may carry the patient's name in their pixels: not sent de-identified.
    const dir = join(t.inputDir, 'us');
    writeDicomSeries(dir, 2, { modality: 'US', rows: 32, columns: 32 });
    await importScan(t, token, [dir]);
    await configure(true);
    expect(await run()).toEqual({ waiting: 0 });
    const failed = await t.ok('sync.items', { state: 'failed', limit: 10 }, token);
    expect(failed).toHaveLength(2);
    expect(failed[0]?.lastError).toMatch(/identifying text in its pixels/);
    expect((await t.ok('sync.status', {}, token)).counts.failed).toBe(2);
    expect(await instancesAt(orthanc)).toEqual([]);

    expect(await t.ok('sync.retry', { itemId: failed[0]?.id ?? 0 }, token)).toEqual({ retried: 1 });
    expect(await t.call('sync.retry', { itemId: failed[0]?.id ?? 0 }, token)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/only a failed item is retried/) },
    });
    expect(await run()).toEqual({ waiting: 0 });
    expect(await t.ok('sync.retry', {}, token)).toEqual({ retried: 2 });
    const audited = t.core.audit.list(50).filter((e) => e.action === 'sync.retry');
    expect(audited).toHaveLength(2);
  }, 60_000);

  it('refuses to sync to a destination that is not configured, with a clear message', async () => {
    const result = await t.call(
      'sync.configure',
      {
        destinations: [
          {
            destinationId: 'nowhere',
            originals: true,
            segmentations: false,
            reports: false,
            deidentify: false,
          },
        ],
      },
      token,
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/Settings → DICOM/) },
    });

    // A destination removed after its items were planned: the run says so instead of waiting.
    const dir = join(t.inputDir, 'one');
    writeDicomSeries(dir, 1, { rows: 16, columns: 16 });
    await importScan(t, token, [dir]);
    await configure();
    await t.ok('dicom.destinations.remove', { id: 'pacs' }, token);
    const started = Date.now();
    expect(await run()).toEqual({ waiting: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await t.ok('sync.status', {}, token)).destinations[0]?.lastError).toMatch(
      /No PACS destination "pacs" in Settings → DICOM/,
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
