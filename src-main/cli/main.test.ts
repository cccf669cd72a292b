import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';
import { USAGE } from './usage.js';

/** An in-memory terminal: enough for the commands that never open a data folder. */
function fakeIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: (async function* () {})(),
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

describe('runCli', () => {
  it('prints the usage on --help and exits 0', async () => {
    const io = fakeIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toBe(USAGE);
    expect(io.err()).toBe('');
  });

  it('prints the version', async () => {
    const io = fakeIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^neurosphere \d+\.\d+\.\d+\n$/);
  });

  it('answers a usage error with exit 2 and the synopsis of the command', async () => {
    const io = fakeIo();
    expect(await runCli(['users', 'add', '--username', 'x', '--role', 'admin'], io)).toBe(2);
    expect(io.err()).toContain('pass --password-stdin');
    expect(io.err()).toContain(
      'Usage: neurosphere users add --username U --role R --password-stdin [--display-name N]',
    );
    expect(io.out()).toBe('');
  });

  it('shows the synopsis of analyze for its usage errors', async () => {
    const io = fakeIo();
    expect(await runCli(['analyze', '--json'], io)).toBe(2);
    expect(io.err()).toContain(
      'Usage: neurosphere analyze <paths...> [--scan ID] [--model M] [--classifier C|none] [--force] [--out D] [--report D] [--json]',
    );
  });

  it('documents every command in the usage text', () => {
    for (const command of [
      'import <paths...>',
      'analyze <paths...>',
      'report <scan-id>',
      'NEUROSPHERE_MODELS_DIR',
      'scans list',
      'scans show <id>',
      'patients list',
      'users add',
      'jobs list',
      'serve',
      '--data-dir D',
    ]) {
      expect(USAGE).toContain(command);
    }
  });
});
