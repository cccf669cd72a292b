// What the browser benchmarks share: a free loopback port and a `neurosphere serve` child that
// answers /api/health before they start measuring.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A loopback port nothing listens on now, so that two runs (or the e2e suite) do not collide. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('serve did not answer /api/health within 60 s');
}

/**
 * Starts `neurosphere serve --no-auto-analyse` on the data folder and waits until it answers.
 * Its stderr is kept (log()) and shown only when something fails: its shutdown notice would
 * otherwise follow the figures.
 */
export async function startServe({ root, dataDir, port }) {
  let log = '';
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/neurosphere.js'),
      'serve',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--no-auto-analyse',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr.on('data', (chunk) => (log += chunk));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForHealth(`${baseURL}/api/health`, child);
  return { child, baseURL, log: () => log };
}
