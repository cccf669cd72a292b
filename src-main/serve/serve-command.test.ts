import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, ensureBuilt, spawnCli, waitForLine } from '../cli/testing/run-cli.js';

let root: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-serve-cli-'));
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const SERVING = /^Neurosphere \S+ serving (http:\/\/\S+) \(data: (.+)\)$/;

describe('neurosphere serve (real process)', () => {
  it('prints the URL with the real port, answers /api/health and exits 0 on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const child = spawnCli(['serve', '--port', '0', '--data-dir', dataDir]);
    const exited = collect(child);
    if (child.stdout === null) throw new Error('no stdout');
    const [, url, printedDir] = await waitForLine(child.stdout, SERVING);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect(printedDir).toBe(dataDir);

    const response = await fetch(`${url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'healthy' });

    child.kill('SIGTERM');
    const run = await exited;
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns on stderr when bound beyond loopback, and stops on SIGINT', async () => {
    const child = spawnCli([
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      join(root, 'lan'),
    ]);
    const exited = collect(child);
    if (child.stdout === null) throw new Error('no stdout');
    await waitForLine(child.stdout, SERVING);
    child.kill('SIGINT');
    const run = await exited;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('reachable from the network');
  });
});
