import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { runCli } from '../main.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';

/** An in-memory terminal whose stdin holds `input`. */
function io(input = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: (async function* () {
      if (input !== '') yield Buffer.from(input);
    })(),
    env: {},
    cwd: '/',
    onSignal: () => () => undefined,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
    out: () => out,
    err: () => err,
  };
}

describe('neurosphere users list / set', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = makeTempDir();
    dataDir = join(root, 'data');
  });
  afterEach(() => removeTempDir(root));
  const run = (args: string[], terminal = io()) =>
    runCli([...args, '--data-dir', dataDir], terminal).then((code) => ({ code, terminal }));

  it('adds with a seed alias, lists, changes role, disables and resets a password', async () => {
    expect(
      (
        await run(
          ['users', 'add', '--username', 'root', '--role', 'superuser', '--password-stdin'],
          io('the first admin pw\n'),
        )
      ).code,
    ).toBe(0);
    const added = await run(
      ['users', 'add', '--username', 'dora', '--role', 'standard', '--password-stdin'],
      io('doctors own password\n'),
    );
    expect(added.terminal.out()).toMatch(/^Created user dora \(viewer\)/);

    const set = await run(['users', 'set', 'dora', '--role', 'annotator', '--disable']);
    expect(set.code).toBe(0);
    expect(set.terminal.out()).toBe('Updated dora: annotator, disabled.\n');

    const list = await run(['users', 'list']);
    expect(list.terminal.out()).toMatch(/^USERNAME\s+NAME\s+ROLE\s+STATUS\s+LAST LOGIN\n/);
    expect(list.terminal.out()).toMatch(/dora\s+dora\s+annotator\s+disabled\s+-\n/);

    const weak = await run(['users', 'set', 'dora', '--password-stdin'], io('dora1234567\n'));
    expect(weak.code).toBe(1);
    expect(weak.terminal.err()).toMatch(/Do not use the username/);
    const reset = await run(
      ['users', 'set', 'dora', '--enable', '--unlock', '--password-stdin'],
      io('a fresh passphrase\n'),
    );
    expect(reset.terminal.err()).toBe('');
    expect(reset.terminal.out()).toBe('Updated dora: annotator, active.\n');
  });

  it('says clearly what is wrong with a users set', async () => {
    expect((await run(['users', 'set', 'nobody', '--unlock'])).terminal.err()).toContain(
      'No account is named "nobody"',
    );
    const nothing = await run(['users', 'set', 'dora']);
    expect(nothing.code).toBe(2);
    expect(nothing.terminal.err()).toContain('users set needs a change');
    const badRole = await run(['users', 'set', 'dora', '--role', 'king']);
    expect(badRole.terminal.err()).toContain('--role must be one of admin, radiologist');
  });
});
