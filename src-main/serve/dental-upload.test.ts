import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DentalCase, DentalRegistryFile } from '../../src-shared/contract/dental.js';
import type { Page } from '../../src-shared/contract/entities.js';
import type { UploadBatch } from '../../src-shared/contract/uploads.js';
import { fixtureUid, makeDicom } from '../test-support/dicom-fixtures.js';
import { makeBinaryStl, makeNifti, TETRAHEDRON } from '../test-support/volume-fixtures.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

// A real server: a dental case from an upload batch, as the app's "New dental case" form sends it.
describe('dental.cases.createFromUpload (the seed form over the upload stream)', () => {
  let ctx: TestServer;
  let token: string;

  beforeAll(async () => {
    ctx = await startTestServer();
    token = await setUpAdmin(ctx.server);
  });
  afterAll(() => ctx.cleanup());

  const call = (method: string, input: unknown) => rpc(ctx.server, method, input, token);
  async function batchWith(files: Record<string, Uint8Array>): Promise<string> {
    const { batchId } = valueOf<UploadBatch>(await call('uploads.begin', {}));
    for (const [name, body] of Object.entries(files)) {
      const response = await fetch(streamUrl(ctx.server, 'uploads.put', { batchId, name }), {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` },
        body,
      });
      expect(response.status, name).toBe(200);
    }
    return batchId;
  }
  const uploadsDir = (): string[] => {
    const dir = join(ctx.root, 'data', 'uploads');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('stores both STLs and imports a DICOM folder CBCT; the staged files go when the job ends', async () => {
    const series = fixtureUid();
    const slices = Object.fromEntries(
      [0, 1, 2, 3].map((k) => [
        `cbct/CBCT01/IM${k}.dcm`,
        makeDicom({
          modality: 'CT',
          seriesInstanceUid: series,
          sopInstanceUid: `${series}.${k + 1}`,
          instanceNumber: k + 1,
          rows: 16,
          columns: 16,
          imagePosition: [0, 0, k],
          sliceThickness: 1,
        }),
      ]),
    );
    const batchId = await batchWith({
      'upper/upper jaw.stl': makeBinaryStl(TETRAHEDRON),
      'lower/lower.stl': makeBinaryStl(TETRAHEDRON.slice(0, 2)),
      ...slices,
    });
    const created = valueOf<DentalCase>(
      await call('dental.cases.createFromUpload', { batchId, name: 'Uploaded pair' }),
    );
    expect(created.upper).toMatchObject({ fileName: 'upper jaw.stl', triangleCount: 4 });
    expect(created.lower).toMatchObject({ fileName: 'lower.stl', triangleCount: 2 });
    const job = await ctx.server.core.jobs.whenFinished(created.cbct!.jobId);
    expect(job.status).toBe('completed');
    const after = valueOf<DentalCase>(await call('dental.cases.get', { id: created.id }));
    expect(after.cbct?.scanId).toEqual(expect.any(String));
    const files = valueOf<Page<DentalRegistryFile>>(
      await call('dental.files.list', { caseId: created.id, type: 'cbct' }),
    );
    expect(files.total).toBe(4);
    // The batch was handed to the import job: removed once it completed.
    await expect.poll(() => uploadsDir().includes(batchId)).toBe(false);
    // And it cannot be committed or used again.
    const again = await call('dental.cases.createFromUpload', { batchId, name: 'Again' });
    expect(again.body.ok).toBe(false);
  });

  it('takes a single NIfTI file as the CBCT, and a case of STLs only removes its batch at once', async () => {
    const nifti = await batchWith({
      'cbct/volume.nii': makeNifti({ dims: [8, 8, 4], voxel: (i, j, k) => i + j + k }),
    });
    const withCbct = valueOf<DentalCase>(
      await call('dental.cases.createFromUpload', { batchId: nifti, name: 'NIfTI only' }),
    );
    expect(withCbct.upper).toBeNull();
    const job = await ctx.server.core.jobs.whenFinished(withCbct.cbct!.jobId);
    expect(job.status).toBe('completed');

    const stlOnly = await batchWith({ 'upper/u.stl': makeBinaryStl(TETRAHEDRON) });
    const created = valueOf<DentalCase>(
      await call('dental.cases.createFromUpload', { batchId: stlOnly, name: 'STL only' }),
    );
    expect(created.cbct).toBeNull();
    expect(uploadsDir()).not.toContain(stlOnly);
  });

  it('refuses a bad upload with a message, and leaves no case', async () => {
    const stray = await batchWith({ 'notes.txt': new Uint8Array([1, 2, 3]) });
    const refused = await call('dental.cases.createFromUpload', { batchId: stray, name: 'Stray' });
    expect((refused.body as { error?: { code: string; message: string } }).error?.code).toBe(
      'INVALID_INPUT',
    );
    expect((refused.body as { error?: { code: string; message: string } }).error?.message).toMatch(
      /outside upper\/, lower\/ and cbct\//,
    );

    const two = await batchWith({
      'upper/a.stl': makeBinaryStl(TETRAHEDRON),
      'upper/b.stl': makeBinaryStl(TETRAHEDRON),
    });
    const twice = await call('dental.cases.createFromUpload', { batchId: two, name: 'Two' });
    expect((twice.body as { error?: { message: string } }).error?.message).toMatch(
      /upper jaw takes one STL file; 2 were sent/,
    );

    const bad = await batchWith({ 'lower/bad.stl': new Uint8Array(10) });
    const badStl = await call('dental.cases.createFromUpload', { batchId: bad, name: 'Bad' });
    expect((badStl.body as { error?: { message: string } }).error?.message).toMatch(
      /lower jaw STL/,
    );
    const cases = valueOf<Page<DentalCase>>(await call('dental.cases.list', { search: 'Bad' }));
    expect(cases.total).toBe(0);
  });
});
