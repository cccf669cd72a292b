import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, resolveAuditKey } from '../core/index.js';
import { fixtureUid, writeDicomSeries } from '../test-support/dicom-fixtures.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../test-support/orthanc.js';
import { EXIT_INTERRUPTED } from './commands/import.js';
import { collect, ensureBuilt, runCliProcess, spawnCli, waitForLine } from './testing/run-cli.js';

const BIG = 150;

// `neurosphere dicomweb search|retrieve` as a real process against Orthanc's DICOMweb plugin,
// through a DICOMweb-only destination (no AE title, host or port).
describe.skipIf(!hasOrthanc())('neurosphere dicomweb', () => {
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;
  let orthanc: TestOrthanc;
  const studyInstanceUid = fixtureUid();
  const seriesUids = [fixtureUid(), fixtureUid()];
  const bigStudyUid = fixtureUid();

  const cli = (...args: string[]) => runCliProcess([...args, '--data-dir', dataDir], { env });

  beforeAll(async () => {
    await ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'neurosphere-dicomweb-cli-'));
    dataDir = join(root, 'data');
    env = { NEUROSPHERE_AUDIT_KEY_FILE: join(root, 'audit.key') };
    orthanc = await startOrthanc(join(root, 'orthanc'));
    const common = { patientId: 'CLI-WEB', studyInstanceUid, rows: 16, columns: 16 };
    const files = [
      ...writeDicomSeries(join(root, 'a'), 3, { ...common, seriesInstanceUid: seriesUids[0]! }),
      ...writeDicomSeries(join(root, 'b'), 2, { ...common, seriesInstanceUid: seriesUids[1]! }),
      ...writeDicomSeries(join(root, 'big'), BIG, {
        patientId: 'CLI-WEB-BIG',
        studyInstanceUid: bigStudyUid,
        rows: 64,
        columns: 64,
      }),
    ];
    for (const path of files) await orthanc.upload(readFileSync(path));
    const core = createCore({
      dataDir,
      auditKey: await resolveAuditKey({ dataDir, env: { ...process.env, ...env } }),
    });
    core.dicomNode.saveDestination(
      {
        id: 'web',
        name: 'Web PACS',
        dicomweb: { url: `${orthanc.httpUrl}/dicom-web`, auth: 'none' },
      },
      new Date().toISOString(),
    );
    await core.close();
  }, 180_000);

  afterAll(async () => {
    await orthanc?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('search lists studies by QIDO-RS and says what is wrong with the arguments', async () => {
    const found = await cli(
      'dicomweb',
      'search',
      '--destination',
      'web',
      '--patient-id',
      'CLI-WEB',
      '--json',
    );
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject([
      { studyInstanceUid, patientId: 'CLI-WEB', instances: 5, isLocal: false },
    ]);
    const text = await cli('dicomweb', 'search', '--destination', 'web', '--patient-id', 'CLI-WEB');
    expect(text.stdout).toContain(studyInstanceUid);
    const ct = await cli(
      'dicomweb',
      'search',
      '--destination',
      'web',
      '--patient-id',
      'CLI-WEB',
      '--modality',
      'ct',
      '--json',
    );
    expect(JSON.parse(ct.stdout)).toEqual([]);

    const noDestination = await cli('dicomweb', 'search', '--patient-id', 'X');
    expect(noDestination.code).toBe(2);
    expect(noDestination.stderr).toContain('needs --destination ID');
    expect(noDestination.stderr).toContain('Run "neurosphere --help"');
    const noStudy = await cli('dicomweb', 'retrieve', '--destination', 'web');
    expect(noStudy.stderr).toContain('dicomweb retrieve needs --study UID');
    const unknown = await cli('dicomweb', 'search', '--destination', 'nope', '--patient-id', 'X');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No PACS destination "nope"');
  }, 60_000);

  it('retrieve pulls one series, then the study (the rest new), by WADO-RS', async () => {
    const one = await cli(
      'dicomweb',
      'retrieve',
      '--destination',
      'web',
      '--study',
      studyInstanceUid,
      '--series',
      seriesUids[0]!,
      '--json',
    );
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      received: 3,
      imported: 3,
      duplicates: 0,
      rejected: 0,
    });
    const all = await cli(
      'dicomweb',
      'retrieve',
      '--destination',
      'web',
      '--study',
      studyInstanceUid,
    );
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(
      /^Retrieved 5 instances: 2 imported, 3 already here, 0 refused; scans: \S+, \S+\.$/m,
    );
    const again = await cli(
      'dicomweb',
      'search',
      '--destination',
      'web',
      '--patient-id',
      'CLI-WEB',
      '--json',
    );
    expect(JSON.parse(again.stdout)).toMatchObject([{ isLocal: true }]);
  }, 60_000);

  it('shows progress on stderr and Ctrl-C cancels, keeping what arrived', async () => {
    const child = spawnCli(
      [
        'dicomweb',
        'retrieve',
        '--destination',
        'web',
        '--study',
        bigStudyUid,
        '--data-dir',
        dataDir,
      ],
      env,
    );
    const done = collect(child);
    await waitForLine(child.stderr!, /^Received 25 instances$/);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code, run.stderr).toBe(EXIT_INTERRUPTED);
    const cancelled = /Cancelled after (\d+) instances; those received are kept\./.exec(run.stderr);
    expect(cancelled).not.toBeNull();
    const kept = Number(cancelled![1]);
    expect(kept).toBeGreaterThanOrEqual(25);
    expect(kept).toBeLessThan(BIG);
    // What arrived is kept: pulling again finds those already here.
    const rest = await cli(
      'dicomweb',
      'retrieve',
      '--destination',
      'web',
      '--study',
      bigStudyUid,
      '--json',
    );
    expect(rest.code, rest.stderr).toBe(0);
    const result = JSON.parse(rest.stdout) as { imported: number; duplicates: number };
    expect(result.duplicates).toBeGreaterThanOrEqual(kept - 1);
    expect(result.imported + result.duplicates).toBe(BIG);
  }, 120_000);
});
