import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { hasOrthanc, startOrthanc, type TestOrthanc } from '../../test-support/orthanc.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';
import { TEST_KDF } from '../auth/password-hasher.js';
import { createCore, type Core } from '../core.js';
import { memoryLogger } from '../platform/logger.js';
import { initialiseEncryption } from './data-dir-encryption.js';
import { fileWrappingKeyStore } from './wrapping-key-store.js';

async function call<T>(core: Core, method: string, input: unknown, token?: string): Promise<T> {
  const result = await core.router.call(method, input, { transport: 'test', token });
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

// DICOM send reads files by path: from an encrypted folder, the PACS must get the plain DICOM.
describe.skipIf(!hasOrthanc())('DICOM send from an encrypted data folder', () => {
  let root: string;
  let core: Core;
  let orthanc: TestOrthanc;

  beforeAll(async () => {
    root = makeTempDir('neurosphere-encrypted-send-');
    const dataDir = join(root, 'data');
    mkdirSync(join(root, 'models'));
    const encryption = await initialiseEncryption(
      dataDir,
      fileWrappingKeyStore(join(root, 'data.key'), dataDir),
    );
    core = createCore({
      dataDir,
      auditKey: TEST_AUDIT_KEY,
      encryption,
      kdf: TEST_KDF,
      runJobs: true,
      modelsDir: join(root, 'models'),
      logger: memoryLogger(),
      imagingWorkers: 1,
    });
    orthanc = await startOrthanc(join(root, 'orthanc'));
  }, 60_000);

  afterAll(async () => {
    await orthanc?.stop();
    await core?.close();
    removeTempDir(root);
  });

  it('sends the decrypted files and leaves no temp file behind', async () => {
    const { token } = await call<{ token: string }>(core, 'auth.setup', {
      username: 'admin',
      password: 'correct horse battery',
    });
    const paths = writeDicomSeries(join(root, 'input'), 2, { patientId: 'ENC-SEND-1' });
    const job = await call<{ id: string }>(core, 'import.files', { paths }, token);
    expect((await core.jobs.whenFinished(job.id)).status).toBe('completed');
    const scanId = (await call<{ scanIds: string[] }>(core, 'import.report', { id: job.id }, token))
      .scanIds[0]!;
    await call(
      core,
      'dicom.destinations.save',
      { id: 'pacs', name: 'PACS', aeTitle: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort },
      token,
    );
    expect(await call(core, 'dicom.send', { destinationId: 'pacs', scanId }, token)).toEqual({
      sent: 2,
      failed: 0,
    });
    const found = await orthanc.rest<string[]>('/tools/find', {
      body: { Level: 'Instance', Query: { PatientID: 'ENC-SEND-1' } },
    });
    expect(found).toHaveLength(2);
    expect(readdirSync(join(root, 'data', 'blobs', 'tmp'))).toEqual([]);
  });
});
