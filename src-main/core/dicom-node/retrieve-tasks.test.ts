import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrieveTask } from '../../../src-shared/contract/dicom-node.js';
import { fixtureUid, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import {
  freePort,
  hasOrthanc,
  startOrthanc,
  type TestOrthanc,
} from '../../test-support/orthanc.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

const OUR_AE = 'NS_QR';

// The query/retrieve screen's calls, in a node process (as `serve`), against Orthanc.
describe.skipIf(!hasOrthanc())('query/retrieve from a PACS in the node process', () => {
  let t: TestCore;
  let admin: string;
  let orthanc: TestOrthanc;
  let port: number;
  const studyInstanceUid = fixtureUid();
  const series = [fixtureUid(), fixtureUid()];
  const bigSeries = fixtureUid();

  async function settled(token: string, id: string): Promise<RetrieveTask> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const task = (await t.ok('dicom.retrieve.list', {}, token)).find((x) => x.id === id);
      if (task !== undefined && task.state !== 'running') return task;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the retrieve did not finish in 60 s');
  }

  beforeAll(async () => {
    t = startTestCore({ startDicomNode: true });
    admin = await setupAdmin(t);
    orthanc = await startOrthanc(join(t.root, 'orthanc'));
    port = await freePort();
    const common = {
      patientId: 'QR-1',
      patientName: 'Query^Retrieve',
      studyInstanceUid,
      studyDate: '20240310',
      rows: 16,
      columns: 16,
    };
    const files = [
      ...writeDicomSeries(join(t.inputDir, 's1'), 3, {
        ...common,
        seriesInstanceUid: series[0]!,
        seriesNumber: 1,
        seriesDescription: 'T1 axial',
        modality: 'MR',
      }),
      ...writeDicomSeries(join(t.inputDir, 's2'), 2, {
        ...common,
        seriesInstanceUid: series[1]!,
        seriesNumber: 2,
        seriesDescription: 'FLAIR',
        modality: 'MR',
      }),
      ...writeDicomSeries(join(t.inputDir, 'other'), 1, {
        patientId: 'QR-2',
        patientName: 'Query^Other',
        studyDate: '20200101',
        modality: 'CT',
        rows: 16,
        columns: 16,
      }),
      ...writeDicomSeries(join(t.inputDir, 'big'), 150, {
        patientId: 'QR-3',
        patientName: 'Query^Big',
        studyDate: '20190101',
        seriesInstanceUid: bigSeries,
        modality: 'CT',
        rows: 64,
        columns: 64,
      }),
    ];
    for (const path of files) await orthanc.upload(readFileSync(path));
    await orthanc.addModality('neurosphere', OUR_AE, port);
    await t.ok(
      'dicom.destinations.save',
      {
        id: 'pacs',
        name: 'Test PACS',
        aeTitle: 'ORTHANC',
        host: '127.0.0.1',
        port: orthanc.dicomPort,
      },
      admin,
    );
  }, 120_000);

  afterAll(async () => {
    await t?.dispose();
    await orthanc?.stop();
  });

  it('says to turn the listener on when it is off', async () => {
    const failure = await t.fail(
      'dicom.retrieve.start',
      { destinationId: 'pacs', studyInstanceUid },
      admin,
    );
    expect(failure.code).toBe('CONFLICT');
    expect(failure.message).toMatch(/listener is off: turn it on in Settings → DICOM/);
  });

  it('finds by name and modality, lists the series, and pulls one series then the study', async () => {
    const { node } = await t.ok('dicom.node.get', {}, admin);
    await t.ok(
      'dicom.node.update',
      { ...node, enabled: true, aeTitle: OUR_AE, port, bindAddress: '127.0.0.1' },
      admin,
    );
    const byName = await t.ok(
      'dicom.find',
      { destinationId: 'pacs', patientName: 'Query*', modality: 'MR' },
      admin,
    );
    expect(byName.map((m) => m.patientId)).toEqual(['QR-1']);
    expect(byName[0]).toMatchObject({ studyInstanceUid, instances: 5, isLocal: false });
    const byDate = await t.ok(
      'dicom.find',
      { destinationId: 'pacs', patientName: 'Query*', studyDate: '20240101-20241231' },
      admin,
    );
    expect(byDate.map((m) => m.patientId)).toEqual(['QR-1']);

    const listed = await t.ok(
      'dicom.findSeries',
      { destinationId: 'pacs', studyInstanceUid },
      admin,
    );
    expect(
      listed.map((s) => [s.seriesNumber, s.seriesDescription, s.instances, s.isLocal]),
    ).toEqual([
      [1, 'T1 axial', 3, false],
      [2, 'FLAIR', 2, false],
    ]);

    const one = await t.ok(
      'dicom.retrieve.start',
      { destinationId: 'pacs', studyInstanceUid, seriesInstanceUid: series[0]!, label: 'T1 axial' },
      admin,
    );
    expect(one.state).toBe('running');
    const done = await settled(admin, one.id);
    expect(done).toMatchObject({ state: 'done', completed: 3, failed: 0, error: null });
    expect(done.scanIds).toHaveLength(1);
    const after = await t.ok(
      'dicom.findSeries',
      { destinationId: 'pacs', studyInstanceUid },
      admin,
    );
    expect(after.map((s) => s.isLocal)).toEqual([true, false]);

    const whole = await t.ok(
      'dicom.retrieve.start',
      { destinationId: 'pacs', studyInstanceUid },
      admin,
    );
    expect(await settled(admin, whole.id)).toMatchObject({
      state: 'done',
      completed: 5,
      failed: 0,
    });
    const scans = await t.ok('scans.list', { search: 'Query' }, admin);
    expect(scans.items).toHaveLength(2);
    const audit = await t.ok('audit.list', { action: 'dicom.retrieve.start' }, admin);
    expect(audit.items.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('cancels a running retrieve and keeps what arrived', async () => {
    const [big] = await t.ok('dicom.find', { destinationId: 'pacs', patientId: 'QR-3' }, admin);
    const task = await t.ok(
      'dicom.retrieve.start',
      {
        destinationId: 'pacs',
        studyInstanceUid: big!.studyInstanceUid,
        label: 'Big',
        expected: big!.instances,
      },
      admin,
    );
    expect(task.expected).toBe(150);
    // The same study twice at once is refused.
    const twice = await t.fail(
      'dicom.retrieve.start',
      { destinationId: 'pacs', studyInstanceUid: big!.studyInstanceUid },
      admin,
    );
    expect(twice.message).toMatch(/already being retrieved/);
    const cancelled = await t.ok('dicom.retrieve.cancel', { id: task.id }, admin);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error).toMatch(/Cancelled after \d+ instances; those received are kept/);
    expect(cancelled.received).toBeLessThan(150);
  }, 60_000);

  it('says the PACS does not know our AE title when it refuses the move destination', async () => {
    const { node } = await t.ok('dicom.node.get', {}, admin);
    await t.ok('dicom.node.update', { ...node, aeTitle: 'NS_UNKNOWN' }, admin);
    const task = await t.ok(
      'dicom.retrieve.start',
      { destinationId: 'pacs', studyInstanceUid },
      admin,
    );
    const failed = await settled(admin, task.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(
      /does not know our AE title "NS_UNKNOWN" as a move destination\. Add it to the PACS/,
    );
  }, 60_000);
});
