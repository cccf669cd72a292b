import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerRequest, WorkerResponse } from './inference-protocol.js';

/** Why the inference process ended: its exit code, or the signal that killed it. */
export interface ProcessEnd {
  code: number | null;
  signal: string | null;
}

/**
 * One running inference process as the engine sees it. The Node launcher below forks a child;
 * a shell may bring its own (Electron's utilityProcess, see docs/inference-process.md).
 */
export interface InferenceProcess {
  readonly pid: number | undefined;
  send(request: WorkerRequest): void;
  onMessage(listener: (response: WorkerResponse) => void): void;
  /** Called once, however the process ended (crash, kill, exit). */
  onExit(listener: (end: ProcessEnd) => void): void;
  /** While nothing is pending, the process must not keep the app (or the CLI) alive. */
  setBusy(isBusy: boolean): void;
  kill(): void;
}

export type InferenceLauncher = (entry: string) => InferenceProcess;

/** The compiled entry in dist, or the TypeScript source when running from src (tests). */
export function inferenceEntry(): string {
  const js = fileURLToPath(new URL('./inference-process.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./inference-process.ts', import.meta.url));
}

/**
 * A Node child process running the entry. Its command line is only `node <entry>`, whatever
 * the app was started with: onnxruntime reads /proc/self/cmdline when it creates a session, and
 * a long one (hundreds of input paths) overflowed the stack of the thread that loaded it.
 */
export const forkNodeProcess: InferenceLauncher = (entry) => {
  const child = fork(entry, [], {
    execPath: process.execPath,
    execArgv: [],
    // Structured clone keeps Float32Arrays as they are (JSON would turn them into objects).
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Inside Electron's main process execPath is Electron itself: run it as plain Node there.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let exited = false;
  const exitListeners: Array<(end: ProcessEnd) => void> = [];
  const finish = (end: ProcessEnd): void => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(end);
  };
  child.on('exit', (code, signal) => finish({ code, signal }));
  // A process that could not be started at all emits 'error' and may never emit 'exit'.
  child.on('error', () => finish({ code: null, signal: null }));
  const setBusy = (isBusy: boolean): void => {
    if (isBusy) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  };
  setBusy(false);
  return {
    pid: child.pid,
    send(request) {
      if (child.connected) child.send(request);
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message as WorkerResponse));
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    setBusy,
    kill() {
      child.kill('SIGKILL');
    },
  };
};
