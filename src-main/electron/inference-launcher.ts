import { utilityProcess } from 'electron';
import type {
  InferenceLauncher,
  InferenceProcess,
  ProcessEnd,
  WorkerResponse,
} from '../core/index.js';

/**
 * The desktop app's inference process: an Electron utility process. The packaged app turns the
 * runAsNode fuse off, so the core's Node child (Electron run as Node) cannot start there; a
 * utility process is Chromium's own supervised child and needs no fuse (docs/inference-process.md).
 */
export const forkUtilityProcess: InferenceLauncher = (entry): InferenceProcess => {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'Neurosphere inference',
    stdio: 'inherit',
  });
  const exitListeners: Array<(end: ProcessEnd) => void> = [];
  child.once('exit', (code) => {
    for (const listener of exitListeners) listener({ code, signal: null });
  });
  return {
    get pid() {
      return child.pid;
    },
    send(request) {
      child.postMessage(request);
    },
    onMessage(listener) {
      child.on('message', (message: WorkerResponse) => listener(message));
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    // The app's window keeps Electron running: nothing to hold or release.
    setBusy() {},
    kill() {
      child.kill();
    },
  };
};
