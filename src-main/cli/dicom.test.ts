import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureUid, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { freePort, hasOrthanc, startOrthanc, type TestOrthanc } from '../test-support/orthanc.js';
import { makeTempDir, removeTempDir } from '../test-support/temp-dir.js';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';

const run = promisify(execFile);

function fakeIo(root: string) {
  let out = '';
  let err = '';
  const handlers = new Set<() => void>();
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: (async function* () {})(),
    env: { NEUROSPHERE_MODELS_DIR: join(root, 'models') },
    cwd: root,
    onSignal: (_signal, handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    exit: () => undefined,
  };
  return {
    io,
    out: () => out,
    err: () => err,
    interrupt: () => handlers.forEach((h) => h()),
  };
}

describe.skipIf(!hasOrthanc())('neurosphere dicom', () => {
  let root: string;
  let dataDir: string;
  let orthanc: TestOrthanc;
  let pacs: string;
  const studyInstanceUid = fixtureUid();

  beforeAll(async () => {
    root = makeTempDir('neurosphere-dicom-cli-');
    dataDir = join(root, 'data');
    orthanc = await startOrthanc(join(root, 'orthanc'));
    pacs = `ORTHANC@127.0.0.1:${orthanc.dicomPort}`;
    const files = writeDicomSeries(join(root, 'pacs'), 3, {
      patientId: 'CLI-9',
      studyInstanceUid,
    });
    for (const path of files) await orthanc.upload(readFileSync(path));
  }, 60_000);

  afterAll(async () => {
    await orthanc?.stop();
    if (root !== undefined) removeTempDir(root);
  });

  const cli = async (args: string[]) => {
    const f = fakeIo(root);
    const code = await runCli([...args, '--data-dir', dataDir], f.io);
    return { code, out: f.out(), err: f.err() };
  };

  it('echo answers with the round trip, and names a PACS that is not there', async () => {
    const ok = await cli(['dicom', 'echo', pacs]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/^ORTHANC at 127\.0\.0\.1:\d+ answered C-ECHO in \d+ ms\.$/m);
    const down = await cli(['dicom', 'echo', 'NOBODY@127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('NOBODY at 127.0.0.1:1');
  });

  it('find lists the study; move pulls it in through a listener on our AE title', async () => {
    const found = await cli(['dicom', 'find', pacs, '--patient-id', 'CLI-9', '--json']);
    expect(found.code, found.err).toBe(0);
    expect(JSON.parse(found.out)).toMatchObject([{ studyInstanceUid, isLocal: false }]);
    // --modality narrows by Modalities in Study (the study is MR).
    const mr = await cli([
      'dicom',
      'find',
      pacs,
      '--patient-id',
      'CLI-9',
      '--modality',
      'mr',
      '--json',
    ]);
    expect(JSON.parse(mr.out)).toHaveLength(1);
    const ct = await cli([
      'dicom',
      'find',
      pacs,
      '--patient-id',
      'CLI-9',
      '--modality',
      'CT',
      '--json',
    ]);
    expect(JSON.parse(ct.out)).toEqual([]);
    const port = await freePort();
    await orthanc.addModality('cli', 'NSCLI', port);
    const moved = await cli([
      'dicom',
      'move',
      pacs,
      studyInstanceUid,
      '--ae',
      'NSCLI',
      '--port',
      String(port),
      '--json',
    ]);
    expect(moved.code, moved.err).toBe(0);
    expect(JSON.parse(moved.out)).toMatchObject({ completed: 3, failed: 0 });
    const again = await cli(['dicom', 'find', pacs, '--patient-id', 'CLI-9', '--json']);
    expect(JSON.parse(again.out)).toMatchObject([{ isLocal: true }]);
  });

  it('listen stores what storescu sends until Ctrl-C', async () => {
    const port = await freePort();
    const f = fakeIo(root);
    const listening = runCli(
      ['dicom', 'listen', '--ae', 'NSLISTEN', '--port', String(port), '--data-dir', dataDir],
      f.io,
    );
    for (let i = 0; i < 200 && !f.out().includes('Listening'); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(f.out()).toContain(`Listening as NSLISTEN on 0.0.0.0:${port}`);
    const files = writeDicomSeries(join(root, 'modality'), 2, { patientId: 'CLI-10' });
    await run('storescu', ['-aet', 'CT1', '-aec', 'NSLISTEN', '127.0.0.1', String(port), ...files]);
    f.interrupt();
    expect(await listening).toBe(0);
    expect(f.out()).toMatch(/CT1: \S+ stored/);
    expect(f.out()).toContain('Stopped: 2 stored, 0 duplicates, 0 refused.');
  });

  it('send stores a folder on the PACS', async () => {
    writeDicomSeries(join(root, 'outgoing'), 2, { patientId: 'CLI-11' });
    const sent = await cli(['dicom', 'send', pacs, join(root, 'outgoing')]);
    expect(sent.code, sent.err).toBe(0);
    expect(sent.out).toContain('Sent 2; 0 refused.');
    const onPacs = await orthanc.rest<string[]>('/tools/find', {
      body: { Level: 'Instance', Query: { PatientID: 'CLI-11' } },
    });
    expect(onPacs).toHaveLength(2);
  });

  it('explains a command line it cannot use', async () => {
    const result = await cli(['dicom', 'move', pacs]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('dicom move needs one Study Instance UID');
  });
});
