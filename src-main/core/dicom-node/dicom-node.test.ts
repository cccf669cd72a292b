import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUid, makeDicom, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import {
  freePort,
  hasOrthanc,
  startOrthanc,
  type TestOrthanc,
} from '../../test-support/orthanc.js';
import { TEST_KDF } from '../auth/password-hasher.js';
import { createCore } from '../core.js';
import { memoryLogger } from '../platform/logger.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

const run = promisify(execFile);
const OUR_AE = 'NEUROSPHERE';

// Real parts on loopback: Orthanc (Debian's, with DICOMweb) as the PACS, dcmtk's storescu and
// echoscu as a modality, and the core's own listener and SCU.
describe.skipIf(!hasOrthanc())('DICOM node against Orthanc and dcmtk', () => {
  let t: TestCore;
  let token: string;
  let orthanc: TestOrthanc;
  let port: number;

  beforeAll(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    await t.ok(
      'dicom.node.update',
      {
        enabled: true,
        aeTitle: OUR_AE,
        port: 11112,
        bindAddress: '127.0.0.1',
        allowedCallers: ['STORESCU', 'ORTHANC', 'ECHOSCU'],
        allowedHosts: [],
      },
      token,
    );
    // Port 0: the system picks a free one (tests run in parallel).
    port = await t.core.dicomNode.startListener({ port: 0 });
    await orthanc.addModality('neurosphere', OUR_AE, port);
    await t.ok(
      'dicom.destinations.save',
      {
        id: 'orthanc',
        name: 'Test PACS',
        aeTitle: 'ORTHANC',
        host: '127.0.0.1',
        port: orthanc.dicomPort,
      },
      token,
    );
  }, 60_000);

  afterAll(async () => {
    await orthanc?.stop();
    await t?.dispose();
  });

  it('answers C-ECHO from echoscu, and refuses a caller it does not allow', async () => {
    await run('echoscu', ['-aet', 'ECHOSCU', '-aec', OUR_AE, '127.0.0.1', String(port)]);
    await expect(
      run('echoscu', ['-aet', 'STRANGER', '-aec', OUR_AE, '127.0.0.1', String(port)]),
    ).rejects.toThrow();
    expect(t.logger.entries.some((e) => e.message === 'DICOM association refused')).toBe(true);
  });

  it('imports what storescu sends as one scan, and a second send adds nothing', async () => {
    const dir = join(t.inputDir, 'modality');
    const files = writeDicomSeries(dir, 3, { patientId: 'NODE-1', patientName: 'Node^One' });
    const send = () =>
      run('storescu', ['-aet', 'STORESCU', '-aec', OUR_AE, '127.0.0.1', String(port), ...files]);
    await send();
    const page = await t.ok('scans.list', { search: 'Node' }, token);
    expect(page.items).toHaveLength(1);
    const scanId = page.items[0]!.id;
    const files1 = (await t.ok('scans.get', { id: scanId }, token)).files;
    expect(files1).toHaveLength(3);
    const before = t.core.dicomNode.status();
    await send();
    const after = t.core.dicomNode.status();
    expect(after.duplicates - before.duplicates).toBe(3);
    expect((await t.ok('scans.get', { id: scanId }, token)).files).toHaveLength(3);
    // Series geometry was assembled once the association ended: 3 frames in the volume.
    const frames = t.core.db
      .prepare(
        'SELECT COUNT(*) AS n FROM instances i JOIN series s ON s.id = i.series_id JOIN scans c ON c.series_id = s.id WHERE c.id = ?',
      )
      .get(scanId) as { n: number };
    expect(frames.n).toBe(3);
    // The received study is in the worklist, under the patient the modality named.
    const worklist = await t.ok('worklist.list', { search: 'NODE-1' }, token);
    expect(worklist.items).toHaveLength(1);
    expect(worklist.items[0]).toMatchObject({ patientMrn: 'NODE-1' });
  });

  it('answers a file that is not DICOM with a failure status', async () => {
    const bad = join(t.inputDir, 'bad.dcm');
    // A valid Part 10 header whose data set has no Study Instance UID: the importer refuses it.
    const file = makeDicom({ patientId: 'BAD-1', studyInstanceUid: '' });
    writeFileSync(bad, file);
    const before = t.core.dicomNode.status().rejected;
    await run('storescu', [
      '-aet',
      'STORESCU',
      '-aec',
      OUR_AE,
      '127.0.0.1',
      String(port),
      bad,
    ]).catch(() => undefined);
    expect(t.core.dicomNode.status().rejected).toBe(before + 1);
  });

  it('finds a prior study on the PACS by patient id and pulls it in by C-MOVE', async () => {
    const studyInstanceUid = fixtureUid();
    const dir = join(t.inputDir, 'prior');
    for (const path of writeDicomSeries(dir, 4, {
      patientId: 'PRIOR-7',
      patientName: 'Prior^Patient',
      studyInstanceUid,
      studyDate: '20230105',
    })) {
      await orthanc.upload(readFileSync(path));
    }
    await t.ok('dicom.echo', { destinationId: 'orthanc' }, token);
    const matches = await t.ok(
      'dicom.find',
      { destinationId: 'orthanc', patientId: 'PRIOR-7' },
      token,
    );
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      studyInstanceUid,
      patientId: 'PRIOR-7',
      studyDate: '20230105',
      isLocal: false,
    });
    const result = await t.ok(
      'dicom.retrieve',
      { destinationId: 'orthanc', studyInstanceUid },
      token,
    );
    expect(result).toMatchObject({ completed: 4, failed: 0 });
    expect(result.scanIds).toHaveLength(1);
    expect((await t.ok('scans.get', { id: result.scanIds[0]! }, token)).files).toHaveLength(4);
    const again = await t.ok(
      'dicom.find',
      { destinationId: 'orthanc', patientId: 'PRIOR-7' },
      token,
    );
    expect(again[0]!.isLocal).toBe(true);
  });

  it('sends a scan to the PACS by C-STORE, once however often it is sent', async () => {
    const scanId = (await t.ok('scans.list', { search: 'Node' }, token)).items[0]!.id;
    const first = await t.ok('dicom.send', { destinationId: 'orthanc', scanId }, token);
    expect(first).toEqual({ sent: 3, failed: 0 });
    await t.ok('dicom.send', { destinationId: 'orthanc', scanId }, token);
    const found = await orthanc.rest<string[]>('/tools/find', {
      body: { Level: 'Instance', Query: { PatientID: 'NODE-1' } },
    });
    expect(found).toHaveLength(3);
  });

  it('starts the listener with the core when the settings enable it', async () => {
    const dataDir = join(t.root, 'second');
    const listenPort = await freePort();
    const first = createCore({
      dataDir,
      kdf: TEST_KDF,
      logger: memoryLogger(),
      auditKey: TEST_AUDIT_KEY,
    });
    await first.dicomNode.updateSettings(
      { ...first.dicomNode.settings(), enabled: true, port: listenPort, bindAddress: '127.0.0.1' },
      new Date().toISOString(),
    );
    await first.close();
    const second = createCore({
      auditKey: TEST_AUDIT_KEY,
      dataDir,
      kdf: TEST_KDF,
      logger: memoryLogger(),
      startDicomNode: true,
      maxFileBytes: 10_000,
    });
    try {
      for (let i = 0; i < 200 && !second.dicomNode.status().listening; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(second.dicomNode.status()).toMatchObject({ listening: true, port: listenPort });
      await run('echoscu', ['-aec', 'NEUROSPHERE', '127.0.0.1', String(listenPort)]);
      // An instance over the size limit is refused by the listener itself, before any import
      // (and not held in memory): nothing is stored.
      const big = join(t.inputDir, 'big.dcm');
      writeFileSync(big, makeDicom({ rows: 128, columns: 128 }));
      await run('storescu', ['-aec', 'NEUROSPHERE', '127.0.0.1', String(listenPort), big]).catch(
        () => undefined,
      );
      expect(second.dicomNode.status()).toMatchObject({ received: 0, rejected: 0 });
      expect(second.db.prepare('SELECT COUNT(*) AS n FROM files').get()).toEqual({ n: 0 });
    } finally {
      await second.close();
    }
  });

  it('says clearly when the PACS is not there', async () => {
    await t.ok(
      'dicom.destinations.save',
      { id: 'nowhere', name: 'Down', aeTitle: 'DOWN', host: '127.0.0.1', port: 1 },
      token,
    );
    const error = await t.fail('dicom.echo', { destinationId: 'nowhere' }, token);
    expect(error.code).toBe('REMOTE_UNREACHABLE');
    expect(error.message).toContain('DOWN at 127.0.0.1:1');
  });
});
