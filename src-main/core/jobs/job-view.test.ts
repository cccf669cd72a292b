import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('jobs as each role sees them', () => {
  let t: TestCore;
  let admin: string;
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('shows server paths to roles that import, and only file names to the others', async () => {
    const folder = join(t.inputDir, 'ward-7', 'series');
    writeDicomSeries(folder, 2, { rows: 16, columns: 16 });
    const missing = join(t.inputDir, 'ward-7', 'gone.dcm');
    const job = await t.ok('import.files', { paths: [folder, missing] }, admin);
    await t.core.jobs.whenFinished(job.id);
    const viewer = (await addUser(t, admin, 'vera', 'viewer')).token;
    const tech = (await addUser(t, admin, 'tomas', 'technologist')).token;

    const full = await t.ok('jobs.get', { id: job.id }, tech);
    expect(JSON.stringify(full)).toContain(t.inputDir);

    const seen = [
      await t.ok('jobs.get', { id: job.id }, viewer),
      (await t.ok('jobs.list', {}, viewer)).items[0],
      await t.ok('import.report', { id: job.id }, viewer),
    ];
    for (const view of seen) {
      const text = JSON.stringify(view);
      expect(text).not.toContain(t.inputDir);
      expect(text).not.toContain('ward-7');
    }
    const redacted = seen[0] as typeof full;
    expect(redacted.type === 'import.files' && redacted.payload.paths).toEqual([
      'series',
      'gone.dcm',
    ]);
  });
});
