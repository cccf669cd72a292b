import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { startFaultProxy, type FaultProxy } from '../../test-support/fault-proxy.js';
import {
  makeTestCertificates,
  startHttpGateway,
  type HttpGateway,
} from '../../test-support/http-gateway.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../../test-support/orthanc.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { systemClock } from '../platform/clock.js';

interface OrthancInstance {
  MainDicomTags: { SOPInstanceUID: string };
}

async function instancesAt(orthanc: TestOrthanc): Promise<string[]> {
  const list = await orthanc.rest<OrthancInstance[]>('/instances?expand');
  return list.map((i) => i.MainDicomTags.SOPInstanceUID).sort();
}

/** Every file under a folder, recursively (the data folder: database, WAL, blobs, logs). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.skipIf(!hasOrthanc())('DICOMweb against Orthanc (QIDO-RS, WADO-RS, STOW-RS)', () => {
  let t: TestCore;
  let token: string;
  let orthanc: TestOrthanc;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    t = startTestCore({
      clock: systemClock,
      syncTiming: {
        backoff: { baseMs: 20, maxMs: 300 },
        pollMs: 100,
        timeoutMs: 3_000,
        batchSize: 3,
      },
    });
    token = await setupAdmin(t);
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
  }, 60_000);
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await orthanc.stop();
    await t.dispose();
  });

  const saveDestination = (dicomweb: Record<string, unknown>, id = 'pacs') =>
    t.ok(
      'dicom.destinations.save',
      {
        id,
        name: 'Hospital PACS',
        aeTitle: 'ORTHANC',
        host: '127.0.0.1',
        port: orthanc.dicomPort,
        dicomweb: dicomweb as never,
      },
      token,
    );

  it('searches by QIDO-RS and pulls a study by WADO-RS through the import, once', async () => {
    const dir = join(t.inputDir, 'remote');
    const paths = writeDicomSeries(dir, 5, {
      rows: 32,
      columns: 32,
      modality: 'MR',
      seriesDescription: 'AX T2',
      patientId: 'WEB-0042',
      patientName: 'Web^Patient',
    });
    for (const path of paths) await orthanc.upload(readFileSync(path));
    await saveDestination({ url: `${orthanc.httpUrl}/dicom-web`, auth: 'none' });

    expect(
      (await t.ok('dicomweb.test', { destinationId: 'pacs' }, token)).ms,
    ).toBeGreaterThanOrEqual(0);
    const studies = await t.ok(
      'dicomweb.search',
      { destinationId: 'pacs', level: 'studies', patientId: 'WEB-0042' },
      token,
    );
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({
      patientId: 'WEB-0042',
      patientName: 'Web^Patient',
      instances: 5,
    });
    const studyUid = studies[0]!.studyInstanceUid!;
    expect(
      await t.ok(
        'dicomweb.search',
        { destinationId: 'pacs', level: 'studies', patientId: 'NOBODY' },
        token,
      ),
    ).toEqual([]);
    const series = await t.ok(
      'dicomweb.search',
      { destinationId: 'pacs', level: 'series', studyInstanceUid: studyUid },
      token,
    );
    expect(series.map((s) => [s.modality, s.description, s.instances])).toEqual([
      ['MR', 'AX T2', 5],
    ]);
    const instances = await t.ok(
      'dicomweb.search',
      {
        destinationId: 'pacs',
        level: 'instances',
        studyInstanceUid: studyUid,
        seriesInstanceUid: series[0]!.seriesInstanceUid!,
      },
      token,
    );
    expect(instances.map((i) => i.sopInstanceUid).sort()).toEqual(await instancesAt(orthanc));

    const pulled = await t.ok(
      'dicomweb.retrieve',
      { destinationId: 'pacs', studyInstanceUid: studyUid },
      token,
    );
    expect(pulled).toMatchObject({ received: 5, imported: 5, duplicates: 0, rejected: 0 });
    expect(pulled.scanIds).toHaveLength(1);
    const scan = await t.ok('scans.get', { id: pulled.scanIds[0]! }, token);
    expect(scan.scan.kind).toBe('series');
    // The same study again: de-duplicated by the import, nothing new.
    const again = await t.ok(
      'dicomweb.retrieve',
      { destinationId: 'pacs', studyInstanceUid: studyUid },
      token,
    );
    expect(again).toMatchObject({ received: 5, imported: 0, duplicates: 5 });
    expect(again.scanIds).toEqual(pulled.scanIds);
    const actions = t.core.audit.list(100).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['dicomweb.search', 'dicomweb.retrieve']));
    // A study the PACS does not have.
    const missing = await t.fail(
      'dicomweb.retrieve',
      { destinationId: 'pacs', studyInstanceUid: '1.2.3.4.5.6.7' },
      token,
    );
    expect(missing.message).toMatch(/has no study 1\.2\.3\.4\.5\.6\.7/);
  }, 90_000);

  it('sync sends by STOW-RS through dropped connections and 5xx answers: 0 lost, 0 duplicated at Orthanc', async () => {
    const dir = join(t.inputDir, 'local');
    writeDicomSeries(dir, 30, {
      rows: 48,
      columns: 48,
      modality: 'MR',
      seriesDescription: 'AX FLAIR',
    });
    await importScan(t, token, [dir]);
    const gateway: HttpGateway = await startHttpGateway({ upstream: orthanc.httpUrl });
    closers.push(() => gateway.close());
    const proxy: FaultProxy = await startFaultProxy(Number(new URL(gateway.url).port));
    closers.unshift(() => proxy.close());
    await saveDestination({ url: `http://127.0.0.1:${proxy.port}/dicom-web`, auth: 'none' });
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    proxy.setPlan({
      refuse: () => random() < 0.1,
      dropAfterBytes: () => (random() < 0.4 ? 1_000 + Math.floor(random() * 60_000) : null),
      answerDelayMs: () => (random() < 0.1 ? 30 : 0),
    });
    gateway.setFault(() => {
      const r = random();
      return r < 0.25 ? 'fail-before' : r < 0.5 ? 'fail-after' : 'none';
    });
    await t.ok(
      'sync.configure',
      {
        destinations: [
          {
            destinationId: 'pacs',
            originals: true,
            segmentations: false,
            reports: false,
            deidentify: false,
          },
        ],
      },
      token,
    );
    expect(await t.core.sync.runUntilDone({ deadline: Date.now() + 80_000 })).toEqual({
      waiting: 0,
    });

    const items = await t.ok('sync.items', { limit: 100 }, token);
    expect(items).toHaveLength(30);
    expect(items.every((i) => i.state === 'sent')).toBe(true);
    const expected = items.map((i) => i.sopInstanceUid ?? '').sort();
    const atOrthanc = await instancesAt(orthanc);
    const lost = expected.filter((uid) => !atOrthanc.includes(uid)).length;
    const extra = atOrthanc.length - expected.length + lost;
    const faults = proxy.faults() + gateway.counts.failedBefore + gateway.counts.failedAfter;
    console.log(
      `STOW-RS faults: ${faults} injected (${proxy.counts.dropped} dropped, ${proxy.counts.refused} refused, ${proxy.counts.slowed} slowed, ${gateway.counts.failedBefore} 5xx before storing, ${gateway.counts.failedAfter} 5xx after storing); ${expected.length} items, ${lost} lost, ${extra} duplicated at Orthanc`,
    );
    expect(faults).toBeGreaterThanOrEqual(10);
    expect(gateway.counts.failedAfter).toBeGreaterThan(0);
    expect(atOrthanc).toEqual(expected);
    expect(lost).toBe(0);
    expect(extra).toBe(0);
  }, 120_000);

  it('keeps the bearer token in the OS keychain, never in the settings, and uses it', async () => {
    const secret = 'tok-3f9a1c77-very-secret';
    const gateway = await startHttpGateway({ upstream: orthanc.httpUrl, bearer: secret });
    closers.push(() => gateway.close());
    await saveDestination({ url: `${gateway.url}/dicom-web`, auth: 'bearer' });

    expect((await t.fail('dicomweb.test', { destinationId: 'pacs' }, token)).message).toMatch(
      /No token is stored for .*Settings → DICOM/,
    );
    expect(await t.ok('dicomweb.secret.get', { destinationId: 'pacs' }, token)).toEqual({
      stored: false,
    });
    await t.ok('dicomweb.secret.set', { destinationId: 'pacs', secret: 'wrong-token' }, token);
    expect((await t.fail('dicomweb.test', { destinationId: 'pacs' }, token)).message).toMatch(
      /refused the credentials \(HTTP 401\)/,
    );
    expect(await t.ok('dicomweb.secret.set', { destinationId: 'pacs', secret }, token)).toEqual({
      stored: true,
    });
    await t.ok('dicomweb.test', { destinationId: 'pacs' }, token);
    expect(await t.ok('dicomweb.secret.get', { destinationId: 'pacs' }, token)).toEqual({
      stored: true,
    });
    expect(await t.core.dicomweb.clientFor('pacs')).toBeDefined();

    // Nowhere in the data folder (settings table, WAL, logs, audit), nor in what the API shows.
    const node = await t.ok('dicom.node.get', {}, token);
    expect(JSON.stringify(node)).not.toContain(secret);
    expect(JSON.stringify(t.core.audit.list(200))).not.toContain(secret);
    const dataFiles = filesUnder(join(t.root, 'data'));
    expect(dataFiles.length).toBeGreaterThan(0);
    for (const file of dataFiles) expect(readFileSync(file).includes(secret), file).toBe(false);

    // Removing the destination removes its keychain entry.
    await t.ok('dicom.destinations.remove', { id: 'pacs' }, token);
    await saveDestination({ url: `${gateway.url}/dicom-web`, auth: 'bearer' });
    expect(await t.ok('dicomweb.secret.get', { destinationId: 'pacs' }, token)).toEqual({
      stored: false,
    });
  }, 60_000);

  it('accepts an HTTPS PACS whose certificate chains to the pinned CA, and refuses another CA', async () => {
    const hospital = makeTestCertificates(t.root, 'hospital');
    const other = makeTestCertificates(t.root, 'other');
    const gateway = await startHttpGateway({
      upstream: orthanc.httpUrl,
      tls: { key: hospital.key, cert: hospital.cert },
    });
    closers.push(() => gateway.close());
    const url = `${gateway.url}/dicom-web`;

    await saveDestination({ url, auth: 'none', caPem: hospital.caPem });
    await t.ok('dicomweb.test', { destinationId: 'pacs' }, token);
    expect(
      await t.ok('dicomweb.search', { destinationId: 'pacs', level: 'studies' }, token),
    ).toEqual([]);

    await saveDestination({ url, auth: 'none', caPem: other.caPem });
    const refused = await t.fail('dicomweb.test', { destinationId: 'pacs' }, token);
    expect(refused.message).toMatch(/does not chain to the pinned CA/);

    await saveDestination({ url, auth: 'none' });
    expect((await t.fail('dicomweb.test', { destinationId: 'pacs' }, token)).message).toMatch(
      /not trusted by this system.*pin the PACS's CA/,
    );

    const bad = await t.fail(
      'dicom.destinations.save',
      {
        id: 'pacs',
        name: 'Hospital PACS',
        aeTitle: 'ORTHANC',
        host: '127.0.0.1',
        port: orthanc.dicomPort,
        dicomweb: { url: orthanc.httpUrl, auth: 'none', caPem: hospital.caPem },
      },
      token,
    );
    expect(bad.message).toMatch(/pinned CA applies to an https:\/\/ URL only/);
  }, 60_000);
});
