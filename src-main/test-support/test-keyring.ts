import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private D-Bus session with an unlocked gnome-keyring in it: the OS keychain of the tests. */
export interface TestKeyring {
  /** For DBUS_SESSION_BUS_ADDRESS: clients (keytar in tests and in CLI children) reach it there. */
  readonly address: string;
  stop(): void;
}

const TEST_KEYRING_PASSWORD = 'neurosphere-test-keyring';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function waitForSecretService(address: string): Promise<void> {
  const keytar = createRequire(import.meta.url)('keytar') as {
    setPassword(s: string, a: string, p: string): Promise<void>;
    deletePassword(s: string, a: string): Promise<boolean>;
  };
  const previous = process.env['DBUS_SESSION_BUS_ADDRESS'];
  process.env['DBUS_SESSION_BUS_ADDRESS'] = address;
  let lastError: unknown;
  try {
    // Up to 30 s: on a loaded machine the daemons take a while to register on the bus.
    for (let attempt = 0; attempt < 300; attempt++) {
      try {
        await keytar.setPassword('neurosphere test probe', 'probe', 'ok');
        await keytar.deletePassword('neurosphere test probe', 'probe');
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    if (previous === undefined) delete process.env['DBUS_SESSION_BUS_ADDRESS'];
    else process.env['DBUS_SESSION_BUS_ADDRESS'] = previous;
  }
  throw new Error(`gnome-keyring did not answer on ${address}: ${String(lastError)}`);
}

/**
 * Starts `dbus-daemon --session` and `gnome-keyring-daemon --unlock` (password on stdin) with
 * their own home in a temp folder, so tests never touch the developer's keychain. Throws with
 * what to install when the programs are missing (scripts/install.sh installs them).
 */
export async function startTestKeyring(): Promise<TestKeyring> {
  for (const program of ['dbus-daemon', 'gnome-keyring-daemon']) {
    if (!has(program))
      throw new Error(
        `${program} is not installed: the audit key tests need a real OS keychain. Run scripts/install.sh (it installs dbus and gnome-keyring).`,
      );
  }
  const home = mkdtempSync(join(tmpdir(), 'neurosphere-keyring-'));
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: home,
  };
  const bus = spawnSync(
    'dbus-daemon',
    ['--session', '--fork', '--print-address=1', '--print-pid=1'],
    {
      env,
      encoding: 'utf8',
    },
  );
  const [address, pidText] = bus.stdout.trim().split('\n');
  const busPid = Number(pidText);
  if (bus.status !== 0 || address === undefined || !Number.isInteger(busPid)) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(`dbus-daemon did not start: ${bus.stderr}`);
  }
  const keyring: ChildProcess = spawn(
    'gnome-keyring-daemon',
    ['--foreground', '--unlock', '--components=secrets'],
    { env: { ...env, DBUS_SESSION_BUS_ADDRESS: address }, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  keyring.stdin?.end(TEST_KEYRING_PASSWORD);
  const stop = (): void => {
    keyring.kill();
    try {
      process.kill(busPid);
    } catch {
      // Already gone.
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForSecretService(address);
  } catch (error) {
    stop();
    throw error;
  }
  return { address, stop };
}
