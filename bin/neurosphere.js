#!/usr/bin/env node
// Launcher for the Neurosphere CLI. Plain JavaScript so it runs before anything is built and
// can say what is missing instead of failing with a stack trace.
import { existsSync } from 'node:fs';

const REQUIRED = [22, 12];

function isNodeRecentEnough(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1]);
}

/** Exits once stdout and stderr are flushed, so piped output is never cut short. */
function exitAfterFlush(code) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// better-sqlite3 needs Node-API 10, which only Node 22 has: fail here, not deep in a require.
if (!isNodeRecentEnough(process.versions.node)) {
  process.stderr.write(
    `Neurosphere needs Node ${REQUIRED.join('.')} or newer; this is Node ${process.versions.node}.\n` +
      'Use the Node that comes with the project (npx neurosphere …) or install Node 22.\n',
  );
  process.exit(1);
}

const entry = new URL('../dist/src-main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Neurosphere is not built: run `npm run build`\n');
  process.exit(1);
}

try {
  const { runCli } = await import(entry.href);
  exitAfterFlush(await runCli(process.argv.slice(2)));
} catch (error) {
  // Only reached when loading fails (a broken build, a native module for another Node).
  process.stderr.write(`neurosphere: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.NEUROSPHERE_DEBUG === '1' && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  exitAfterFlush(1);
}
