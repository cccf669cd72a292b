import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureUid, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../../test-support/orthanc.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { systemClock } from '../platform/clock.js';

const WEB = { url: 'http://127.0.0.1:9/dicom-web', auth: 'none' } as const;

// A destination with a DICOMweb URL and no AE title, host and port (docs/dicomweb.md).
describe('a DICOMweb-only PACS destination', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('needs AE title, host and port together unless a DICOMweb URL is given, and says which', async () => {
    const none = await t.fail('dicom.destinations.save', { id: 'p', name: 'P' }, token);
    expect(none.message).toContain(
      'AE title needed: give the AE title, host and port of the PACS (DIMSE), or a DICOMweb URL',
    );
    const part = await t.fail(
      'dicom.destinations.save',
      { id: 'p', name: 'P', aeTitle: 'PACS', port: 104, dicomweb: WEB },
      token,
    );
    expect(part.message).toContain('Host needed with the rest of DIMSE');
    expect(part.message).not.toContain('Port needed');

    // Old entries (always AE title, host and port) still read and save as they were.
    const old = { id: 'old', name: 'Old PACS', aeTitle: 'OLD', host: '10.0.0.5', port: 104 };
    await t.ok('dicom.destinations.save', old, token);
    const saved = await t.ok(
      'dicom.destinations.save',
      { id: 'web', name: 'Web PACS', dicomweb: WEB },
      token,
    );
    expect(saved).toEqual([old, { id: 'web', name: 'Web PACS', dicomweb: WEB }]);
    expect((await t.ok('dicom.node.get', {}, token)).destinations).toEqual(saved);

    // DIMSE calls on it say what it is, and never open an association.
    const echo = await t.fail('dicom.echo', { destinationId: 'web' }, token);
    expect(echo.message).toContain('"Web PACS" is DICOMweb only');
    const dimse = await t.fail(
      'dicom.find',
      { destinationId: 'web', source: 'dimse', patientId: 'X' },
      token,
    );
    expect(dimse.message).toContain('query it by DICOMweb');
    const web = await t.fail(
      'dicom.find',
      { destinationId: 'old', source: 'dicomweb', patientId: 'X' },
      token,
    );
    expect(web.message).toContain('"Old PACS" has no DICOMweb URL');
    // Without a source, it is asked by DICOMweb: here nothing listens, said in words.
    const unreachable = await t.fail('dicom.find', { destinationId: 'web', patientId: 'X' }, token);
    expect(unreachable.message).toContain('Cannot reach the DICOMweb service at');
  });
});

describe.skipIf(!hasOrthanc())('a DICOMweb-only destination against Orthanc', () => {
  let t: TestCore;
  let token: string;
  let orthanc: TestOrthanc;
  beforeEach(async () => {
    t = startTestCore({
      clock: systemClock,
      syncTiming: {
        backoff: { baseMs: 20, maxMs: 300 },
        pollMs: 100,
        timeoutMs: 5_000,
        batchSize: 10,
      },
    });
    token = await setupAdmin(t);
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    await t.ok(
      'dicom.destinations.save',
      {
        id: 'web',
        name: 'Web PACS',
        dicomweb: { url: `${orthanc.httpUrl}/dicom-web`, auth: 'none' },
      },
      token,
    );
  }, 60_000);
  afterEach(async () => {
    await orthanc.stop();
    await t.dispose();
  });

  it('is tested by QIDO-RS, syncs by STOW-RS, and is queried and retrieved by DICOMweb', async () => {
    expect((await t.ok('dicomweb.test', { destinationId: 'web' }, token)).ms).toBeGreaterThan(0);

    const dir = join(t.inputDir, 'series');
    writeDicomSeries(dir, 3, { rows: 16, columns: 16, patientId: 'SYNC-WEB' });
    await importScan(t, token, [dir]);
    await t.ok(
      'sync.configure',
      {
        destinations: [
          {
            destinationId: 'web',
            originals: true,
            segmentations: false,
            reports: false,
            deidentify: false,
          },
        ],
      },
      token,
    );
    expect(await t.core.sync.runUntilDone({ deadline: Date.now() + 30_000 })).toEqual({
      waiting: 0,
    });
    const stats = await orthanc.rest<{ CountInstances: number }>('/statistics');
    expect(stats.CountInstances).toBe(3);

    // A study only the PACS has: found by QIDO-RS (no source given), pulled by WADO-RS.
    const studyInstanceUid = fixtureUid();
    for (const path of writeDicomSeries(join(t.root, 'prior'), 4, {
      patientId: 'PRIOR-WEB',
      studyInstanceUid,
      rows: 16,
      columns: 16,
    }))
      await orthanc.upload(readFileSync(path));
    const found = await t.ok('dicom.find', { destinationId: 'web', patientId: 'PRIOR-WEB' }, token);
    expect(found).toMatchObject([{ studyInstanceUid, instances: 4, isLocal: false }]);
    const series = await t.ok(
      'dicom.findSeries',
      { destinationId: 'web', studyInstanceUid },
      token,
    );
    expect(series).toMatchObject([{ instances: 4, isLocal: false }]);
    const task = await t.ok(
      'dicom.retrieve.start',
      { destinationId: 'web', studyInstanceUid, expected: 4 },
      token,
    );
    expect(task).toMatchObject({ source: 'dicomweb', state: 'running' });
    let done = task;
    for (let i = 0; i < 300 && done.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = (await t.ok('dicom.retrieve.list', {}, token)).find((x) => x.id === task.id)!;
    }
    expect(done).toMatchObject({
      state: 'done',
      received: 4,
      expected: 4,
      completed: 4,
      failed: 0,
    });
    expect(done.scanIds).toHaveLength(1);
    const again = await t.ok('dicom.find', { destinationId: 'web', patientId: 'PRIOR-WEB' }, token);
    expect(again[0]!.isLocal).toBe(true);
  }, 120_000);
});
