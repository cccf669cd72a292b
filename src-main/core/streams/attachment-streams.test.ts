import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStl } from '../../../src-shared/mesh/stl.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { makeBinaryStl, makeNifti, TETRAHEDRON } from '../../test-support/volume-fixtures.js';

describe('attachments.mesh', () => {
  let t: TestCore | undefined;
  afterEach(() => t?.dispose());

  it("streams an attached STL's bytes for the 3D viewer, audited; refuses an unknown mesh", async () => {
    t = startTestCore();
    const core = t;
    const token = await setupAdmin(core);
    const volume = join(core.inputDir, 'head.nii.gz');
    writeFileSync(volume, makeNifti({ dims: [8, 8, 4], gzip: true, voxel: (i) => i }));
    const scanId = await importScan(core, token, [volume]);
    const stl = join(core.inputDir, 'upper-jaw.stl');
    writeFileSync(stl, makeBinaryStl(TETRAHEDRON));
    const job = await core.ok('import.files', { paths: [stl], attachTo: scanId }, token);
    await core.core.jobs.whenFinished(job.id);
    const { attachments } = await core.ok('scans.get', { id: scanId }, token);
    expect(attachments).toHaveLength(1);
    const attachmentId = attachments[0]!.id;

    const context = { transport: 'test' as const, token };
    const result = await core.core.router.stream(
      'attachments.mesh',
      { scanId, attachmentId },
      context,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.description).toMatchObject({ attachmentId, scanId, triangleCount: 4 });
    const data = result.value.data;
    if (!(data instanceof Uint8Array)) throw new Error('expected the bytes at once');
    expect(parseStl(data).indices.length).toBe(12);
    const audited = core.core.db
      .prepare("SELECT target, details FROM audit_log WHERE action = 'attachments.read'")
      .all() as Array<{ target: string; details: string }>;
    expect(audited).toEqual([{ target: scanId, details: JSON.stringify({ attachmentId }) }]);

    const missing = await core.core.router.stream(
      'attachments.mesh',
      { scanId, attachmentId: scanId },
      context,
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
