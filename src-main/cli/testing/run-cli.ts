import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (holds bin/ and dist/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'neurosphere.js');
const BUILT_ENTRY = join(REPO_ROOT, 'dist', 'src-main', 'cli', 'main.js');
const LOCK = join(REPO_ROOT, 'dist', '.cli-test-build.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(): Promise<void> {
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSafe(join(LOCK, 'pid')));
      // A test process that died holding the lock must not block every later run.
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Compiles the core and the CLI (tsc -b is incremental: seconds when nothing changed). Test
 * files run in parallel processes, so a lock keeps two builds from writing dist at once.
 * Type errors elsewhere in the checkout (work in progress) do not stop the tests as long as
 * the CLI was emitted; `npm run typecheck` is the gate for those.
 */
export async function ensureBuilt(): Promise<void> {
  await acquireLock();
  try {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-b', 'src-main/tsconfig.json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (!existsSync(BUILT_ENTRY)) {
      throw new Error(`Building the CLI failed:\n${result.stdout}${result.stderr}`);
    }
    if (result.status !== 0) {
      console.warn(`tsc -b reported errors; testing the emitted CLI anyway:\n${result.stdout}`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The environment for a CLI child: no data dir or debug setting leaks in from the developer's shell. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (extra['NEUROSPHERE_DATA_DIR'] === undefined) delete env['NEUROSPHERE_DATA_DIR'];
  if (extra['NEUROSPHERE_DEBUG'] === undefined) delete env['NEUROSPHERE_DEBUG'];
  return env;
}

/** Starts `node bin/neurosphere.js ...` with the Node running the tests (Node 22). */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion, feeding `input` on stdin. */
export function runCliProcess(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const child = spawnCli(args, options.env);
  return collect(child, options.input);
}

export function collect(child: ChildProcess, input?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin?.end(input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the first line of a child's stream that matches, as it is printed. */
export function waitForLine(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const match = pattern.exec(line);
        if (match !== null) {
          stream.off('data', onData);
          resolve(match);
          return;
        }
      }
    };
    stream.on('data', onData);
    stream.once('end', () =>
      reject(new Error(`The stream ended without a line matching ${pattern}`)),
    );
  });
}
