import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../../test-support/orthanc.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { systemClock } from '../platform/clock.js';

// One destination paused on its own (the sync page's per-destination Pause): nothing goes to it,
// and resumed, everything that waited goes once.
describe.skipIf(!hasOrthanc())('pausing the sync to one PACS destination', () => {
  let t: TestCore;
  let token: string;
  let orthanc: TestOrthanc;

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
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    await t.ok(
      'dicom.destinations.save',
      { id: 'pacs', name: 'PACS', aeTitle: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort },
      token,
    );
  }, 60_000);
  afterEach(async () => {
    await orthanc.stop();
    await t.dispose();
  });

  const instancesAtPacs = async () =>
    (await orthanc.rest<{ CountInstances: number }>('/statistics')).CountInstances;
  const run = () => t.core.sync.runUntilDone({ deadline: Date.now() + 30_000 });

  it('sends nothing while paused, and everything once when resumed', async () => {
    const paused = await t.fail(
      'sync.pauseDestination',
      { destinationId: 'pacs', paused: true },
      token,
    );
    expect(paused.message).toMatch(/does not sync: choose what it receives first/);

    const dir = join(t.inputDir, 'series');
    writeDicomSeries(dir, 3, { rows: 16, columns: 16 });
    await importScan(t, token, [dir]);
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
    const status = await t.ok(
      'sync.pauseDestination',
      { destinationId: 'pacs', paused: true },
      token,
    );
    expect(status.paused).toBe(false);
    expect(status.destinations[0]).toMatchObject({ destinationId: 'pacs', paused: true });
    expect(await run()).toEqual({ waiting: 3 });
    expect(await instancesAtPacs()).toBe(0);

    const resumed = await t.ok(
      'sync.pauseDestination',
      { destinationId: 'pacs', paused: false },
      token,
    );
    expect(resumed.destinations[0]!.paused).toBe(false);
    expect(await run()).toEqual({ waiting: 0 });
    expect(await instancesAtPacs()).toBe(3);
    const audit = await t.ok('audit.list', { action: 'sync.pauseDestination' }, token);
    expect(audit.items).toHaveLength(1);
  }, 90_000);
});
