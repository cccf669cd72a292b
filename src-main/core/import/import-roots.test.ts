import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppErrorData } from '../../../src-shared/errors.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

/** import.files over serve mode's HTTP API names files on the server: only allowed folders. */
describe('import by path over the network', () => {
  let t: TestCore;
  let admin: string;
  let tech: string;
  let allowed: string;
  let outside: string;
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    tech = (await addUser(t, admin, 'tomas', 'technologist')).token;
    allowed = join(t.inputDir, 'allowed');
    outside = join(t.root, 'private');
    writeDicomSeries(join(allowed, 'series'), 2, { rows: 16, columns: 16 });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.dcm'), 'private bytes');
    chmodSync(join(outside, 'secret.dcm'), 0o600);
  });
  afterEach(() => t.dispose());

  const overHttp = async (paths: string[]): Promise<AppErrorData | null> => {
    const result = await t.core.router.call(
      'import.files',
      { paths },
      { transport: 'http', token: tech },
    );
    return result.ok ? null : result.error;
  };
  /** The message with the path taken out: what a caller could learn from it. */
  const shape = (error: AppErrorData | null) => ({
    code: error?.code,
    message: error?.message.replace(/"[^"]*"/, '"…"'),
  });

  it('is off until an administrator allows a folder', async () => {
    expect(await overHttp([join(allowed, 'series')])).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(/no folder is allowed for it\. Upload the files instead/),
    });
  });

  it('imports from an allowed folder and refuses everything else with one answer', async () => {
    expect((await t.fail('importRoots.set', { roots: [allowed] }, tech)).code).toBe(
      'PERMISSION_DENIED',
    );
    await t.ok('importRoots.set', { roots: [allowed] }, admin);
    expect(await overHttp([join(allowed, 'series')])).toBeNull();

    symlinkSync(outside, join(allowed, 'escape'));
    const refusals = [
      await overHttp([join(outside, 'secret.dcm')]), // exists, outside
      await overHttp([join(outside, 'missing.dcm')]), // missing, outside
      await overHttp([join(allowed, 'missing.dcm')]), // missing, inside
      await overHttp([join(allowed, 'escape', 'secret.dcm')]), // symlink out of the folder
      await overHttp([join(allowed, '..', 'private', 'secret.dcm')]), // dot-dot out of it
      await overHttp(['/etc/shadow']),
    ];
    for (const refusal of refusals) {
      expect(shape(refusal)).toEqual(shape(refusals[0] ?? null));
      expect(refusal?.message).toMatch(/does not exist, cannot be read, or is outside the folders/);
    }
    // The desktop app and the CLI act for the machine's own user: not limited.
    const local = await t.core.router.call(
      'import.files',
      { paths: [join(outside, 'secret.dcm')] },
      { transport: 'ipc', token: tech },
    );
    expect(local.ok).toBe(true);
    expect(t.core.audit.list(200).map((e) => e.action)).toContain('import.refused');
  });

  it('stores allowed folders resolved and refuses ones that do not exist', async () => {
    symlinkSync(allowed, join(t.root, 'link-to-allowed'));
    const set = await t.ok('importRoots.set', { roots: [join(t.root, 'link-to-allowed')] }, admin);
    expect(set.roots).toEqual([allowed]);
    expect((await t.fail('importRoots.set', { roots: ['/no/such/folder'] }, admin)).code).toBe(
      'NOT_FOUND',
    );
    expect((await t.fail('importRoots.set', { roots: ['relative/path'] }, admin)).message).toMatch(
      /not an absolute path/,
    );
  });
});
