import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { readBackupManifest } from './backup-manifest.js';

describe('backups run by the core (admin screen and schedule)', () => {
  let t: TestCore;
  let token: string;
  let target: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    target = join(t.root, 'usb-stick');
    mkdirSync(target);
    const folder = join(t.inputDir, 'series');
    writeDicomSeries(folder, 4, { rows: 32, columns: 32 });
    await t.core.jobs.whenFinished((await t.ok('import.files', { paths: [folder] }, token)).id);
  });
  afterEach(() => t.dispose());

  it('runs a backup into a new folder, shows it running, then as the last backup', async () => {
    expect((await t.ok('backup.status', {}, token)).last).toBeNull();
    const started = await t.ok('backup.run', { dir: target }, token);
    expect(started.running).toMatchObject({ trigger: 'manual', stage: 'database' });
    expect(started.running?.dir).toBe(join(target, 'neurosphere-backup-2024-03-01T08-00-00-000Z'));
    await t.fail('backup.run', { dir: target }, token).then((error) => {
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('A backup is already running');
    });
    await t.core.backups.whenIdle();

    const status = await t.ok('backup.status', {}, token);
    expect(status.running).toBeNull();
    expect(status.lastFailure).toBeNull();
    expect(status.last).toMatchObject({ dir: started.running?.dir, files: 5, trigger: 'manual' });
    const manifest = await readBackupManifest(status.last!.dir);
    expect(manifest.files).toHaveLength(5);
  });

  it('cancels a running backup and says so, leaving no half backup', async () => {
    await t.ok('backup.run', { dir: target }, token);
    await t.ok('backup.cancel', {}, token);
    await t.core.backups.whenIdle();
    const status = await t.ok('backup.status', {}, token);
    expect(status.last).toBeNull();
    expect(status.lastFailure?.message).toBe('The backup was cancelled.');
    expect(readdirSync(target)).toEqual([]);
    expect((await t.fail('backup.cancel', {}, token)).message).toBe('No backup is running.');
  });

  it('runs the scheduled backup when it is due, and not again before the interval', async () => {
    const clock = t.clock;
    await t.ok('backup.setSchedule', { enabled: true, intervalHours: 24, dir: target }, token);
    t.core.backups.runIfDue();
    await t.core.backups.whenIdle();
    const first = (await t.ok('backup.status', {}, token)).last;
    expect(first?.trigger).toBe('schedule');

    clock.advance(23 * 3_600_000);
    t.core.backups.runIfDue();
    expect(t.core.backups.status().running).toBeNull();

    clock.advance(2 * 3_600_000);
    t.core.backups.runIfDue();
    await t.core.backups.whenIdle();
    expect(readdirSync(target)).toHaveLength(2);
  });

  it('refuses a schedule without a folder, and every role but admin', async () => {
    const missing = await t.fail('backup.run', { dir: join(t.root, 'no-such-stick') }, token);
    expect(missing.message).toContain('no-such-stick is not there on the machine that runs');
    const error = await t.fail(
      'backup.setSchedule',
      { enabled: true, intervalHours: 24, dir: '' },
      token,
    );
    expect(error.code).toBe('INVALID_INPUT');
    const radiologist = await addUser(t, token, 'reader', 'radiologist');
    for (const method of ['backup.status', 'backup.run', 'backup.cancel']) {
      const denied = await t.fail(
        method,
        method === 'backup.run' ? { dir: target } : {},
        radiologist.token,
      );
      expect(denied.code, method).toBe('PERMISSION_DENIED');
    }
  });
});
