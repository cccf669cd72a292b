import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../test-support/temp-dir.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

/** `neurosphere encryption status|recover` on a new (so encrypted) data folder, key in a key file. */
describe('neurosphere encryption', () => {
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    await ensureBuilt();
    root = makeTempDir('neurosphere-encryption-cli-');
    dataDir = join(root, 'data');
    env = { NEUROSPHERE_ENCRYPTION: 'on', NEUROSPHERE_DATA_KEY_FILE: join(root, 'data.key') };
  });
  afterAll(() => removeTempDir(root));

  const cli = (args: string[], input?: string) =>
    runCliProcess([...args, '--data-dir', dataDir], { env, ...(input !== undefined && { input }) });

  it('creates the folder encrypted, shows the recovery key, and recovers a lost key with it', async () => {
    const add = await cli(
      ['users', 'add', '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'a long enough password\n',
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);

    const status = await cli(['encryption', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('is encrypted at rest');
    expect(status.stdout).toContain(`key file ${join(root, 'data.key')}`);
    const recoveryKey = /\b([A-Z2-7]{4}-){12}[A-Z2-7]{4}\b/.exec(status.stdout)?.[0];
    expect(recoveryKey).toBeDefined();

    const confirmed = await cli(['encryption', 'status', '--confirm-recovery-key', '--json']);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ enabled: true, recoveryKey: null });

    // The key file is lost: every command says how to get back in.
    rmSync(join(root, 'data.key'));
    const locked = await cli(['users', 'list']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/encrypted.*neurosphere encryption recover/s);

    const wrong = await cli(['encryption', 'recover'], `${'A'.repeat(52)}\n`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('This recovery key does not unlock');

    const recovered = await cli(['encryption', 'recover'], `${recoveryKey}\n`);
    expect(recovered.stderr).toBe('');
    expect(recovered.code).toBe(0);
    const list = await cli(['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('admin');

    // A backup restored on another machine (another key file): only the recovery key opens it.
    const backup = await cli(['backup', join(root, 'backup')]);
    expect(backup.code).toBe(0);
    const elsewhere = {
      ...env,
      NEUROSPHERE_DATA_KEY_FILE: join(root, 'elsewhere.key'),
    };
    const target = join(root, 'elsewhere');
    const refused = await runCliProcess(['restore', join(root, 'backup'), '--data-dir', target], {
      env: elsewhere,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--recovery-key-stdin');
    const restored = await runCliProcess(
      ['restore', join(root, 'backup'), '--data-dir', target, '--recovery-key-stdin'],
      { env: elsewhere, input: `${recoveryKey}\n` },
    );
    expect(restored.stderr).not.toMatch(/error/i);
    expect(restored.code).toBe(0);
    const users = await runCliProcess(['users', 'list', '--data-dir', target], { env: elsewhere });
    expect(users.stdout).toContain('admin');
  });

  it('creates plain folders with NEUROSPHERE_ENCRYPTION=off, reports them, and encrypts one on demand', async () => {
    const plainDir = join(root, 'plain');
    const off = { ...env, NEUROSPHERE_ENCRYPTION: 'off' };
    const add = await runCliProcess(
      [
        'users',
        'add',
        '--data-dir',
        plainDir,
        '--username',
        'plainadmin',
        '--role',
        'admin',
        '--password-stdin',
      ],
      { env: off, input: 'a long enough password\n' },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const status = await runCliProcess(['encryption', 'status', '--data-dir', plainDir], { env });
    expect(status.stdout).toContain('is not encrypted at rest');
    const enable = await runCliProcess(['encryption', 'enable', '--data-dir', plainDir], { env });
    expect(enable.code).toBe(0);
    expect(enable.stdout).toMatch(/Encrypted .* \(0 stored files\).*plain-before-encryption/s);
    const after = await runCliProcess(['encryption', 'status', '--data-dir', plainDir], { env });
    expect(after.stdout).toContain('is encrypted at rest');
    const list = await runCliProcess(['users', 'list', '--data-dir', plainDir], { env });
    expect(list.stdout).toContain('plainadmin');
  });
});
