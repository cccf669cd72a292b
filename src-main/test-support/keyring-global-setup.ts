import { startTestKeyring } from './test-keyring.js';

/**
 * Vitest global setup: every test process (and the CLI and serve children they start) gets a
 * private, unlocked gnome-keyring as its OS keychain, never the developer's own. Without dbus
 * or gnome-keyring the suite still runs; the tests that need the keychain then fail saying so.
 */
export default async function setup(): Promise<() => void> {
  // New data folders of the existing suites stay plain; the encryption tests turn it on (or pass
  // their own env to the CLI children) and prove the encrypted mode.
  process.env['NEUROSPHERE_ENCRYPTION'] = 'off';
  try {
    const keyring = await startTestKeyring();
    process.env['DBUS_SESSION_BUS_ADDRESS'] = keyring.address;
    return () => keyring.stop();
  } catch (error) {
    process.stderr.write(
      `No test keychain: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    // Never fall through to the developer's real keychain.
    process.env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent/neurosphere-test-bus';
    return () => undefined;
  }
}
