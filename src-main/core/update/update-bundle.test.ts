import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Of } from '../../test-support/import-helpers.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import {
  packUpdateBundle,
  stageUpdate,
  UPDATE_MANIFEST,
  UPDATE_SIGNATURE,
  verifyUpdateBundle,
} from './update-bundle.js';
import { UPDATE_PUBLIC_KEY_PEM } from './update-public-key.js';
import { compareVersions } from './version-order.js';

function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

describe('offline update bundles', () => {
  const release = keyPair();
  let root: string;
  let bundleDir: string;
  const now = (): Date => new Date('2026-12-02T17:00:00.000Z');

  beforeEach(async () => {
    root = makeTempDir('neurosphere-update-');
    const installer = join(root, 'Neurosphere-Setup-0.2.0.exe');
    // Stands in for an NSIS installer: what matters is that every byte is covered.
    writeFileSync(installer, Buffer.alloc(256 * 1024, 7));
    bundleDir = join(root, 'bundle');
    await packUpdateBundle({
      installer,
      version: '0.2.0',
      privateKeyPem: release.privateKeyPem,
      outDir: bundleDir,
      now,
    });
  });
  afterEach(() => removeTempDir(root));

  const verifyWith = (publicKeyPem = release.publicKeyPem, currentVersion = '0.1.0') =>
    verifyUpdateBundle({ bundleDir, publicKeyPem, currentVersion });

  it('packs the installer, a manifest with its version, sha256 and size, and a signature', async () => {
    const manifest = JSON.parse(readFileSync(join(bundleDir, UPDATE_MANIFEST), 'utf8')) as {
      version: string;
      installer: { file: string; sha256: string; size: number; kind: string };
    };
    expect(manifest.version).toBe('0.2.0');
    expect(manifest.installer).toMatchObject({ kind: 'nsis', size: 256 * 1024 });
    expect(manifest.installer.sha256).toBe(sha256Of(join(bundleDir, manifest.installer.file)));
    const verified = await verifyWith();
    expect(verified.manifest.version).toBe('0.2.0');
  });

  it('refuses an installer with one byte changed', async () => {
    const path = join(bundleDir, 'Neurosphere-Setup-0.2.0.exe');
    const bytes = readFileSync(path);
    bytes[1000] = bytes[1000]! ^ 1;
    writeFileSync(path, bytes);
    await expect(verifyWith()).rejects.toThrow(
      /Update refused: the installer Neurosphere-Setup-0.2.0.exe does not match the signed manifest.*Nothing was installed/,
    );
  });

  it('refuses a manifest with one byte changed (its signature no longer holds)', async () => {
    const path = join(bundleDir, UPDATE_MANIFEST);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"0.2.0"', '"0.3.0"'));
    await expect(verifyWith()).rejects.toThrow(/signature is not valid/);
  });

  it('refuses a bundle signed with another key, the app key included for a test key', async () => {
    await expect(verifyWith(keyPair().publicKeyPem)).rejects.toThrow(
      /not signed with the Neurosphere release key/,
    );
    await expect(verifyWith(UPDATE_PUBLIC_KEY_PEM)).rejects.toThrow(/signature is not valid/);
  });

  it('refuses a bundle without manifest or without signature, saying what is missing', async () => {
    rmSync(join(bundleDir, UPDATE_SIGNATURE));
    await expect(verifyWith()).rejects.toThrow(/no signature \(update\.json\.sig\)/);
    rmSync(join(bundleDir, UPDATE_MANIFEST));
    await expect(verifyWith()).rejects.toThrow(
      /update\.json is missing.*not a Neurosphere update bundle/,
    );
  });

  it('refuses a downgrade and the version already installed', async () => {
    await expect(verifyWith(release.publicKeyPem, '0.3.0')).rejects.toThrow(
      /version 0\.2\.0, older than the installed 0\.3\.0; downgrades are not applied/,
    );
    await expect(verifyWith(release.publicKeyPem, '0.2.0')).rejects.toThrow(/already installed/);
  });

  it('apply stages the verified installer in the data folder and says what runs next', async () => {
    const dataDir = join(root, 'data');
    const staged = await stageUpdate({
      bundleDir,
      publicKeyPem: release.publicKeyPem,
      currentVersion: '0.1.0',
      dataDir,
      platform: 'win32',
    });
    expect(staged.stagedInstaller).toBe(
      join(dataDir, 'updates', '0.2.0', 'Neurosphere-Setup-0.2.0.exe'),
    );
    expect(sha256Of(staged.stagedInstaller)).toBe(staged.manifest.installer.sha256);
    expect(staged.nextSteps.join('\n')).toContain(`"${staged.stagedInstaller}" /S`);
    await expect(
      stageUpdate({
        bundleDir,
        publicKeyPem: release.publicKeyPem,
        currentVersion: '0.1.0',
        dataDir: join(root, 'linux-data'),
        platform: 'linux',
      }),
    ).rejects.toThrow(/the bundle is for win32, and this machine runs linux/);
    expect(existsSync(join(root, 'linux-data', 'updates'))).toBe(false);
  });

  it('refuses to pack with a key that is not Ed25519, or an unknown installer type', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const installer = join(root, 'x.exe');
    writeFileSync(installer, 'x');
    const pack = (key: string, file: string) =>
      packUpdateBundle({
        installer: file,
        version: '1.0.0',
        privateKeyPem: key,
        outDir: join(root, 'b2'),
        now,
      });
    await expect(pack(rsa, installer)).rejects.toThrow(/rsa key, not Ed25519/);
    writeFileSync(join(root, 'x.zip'), 'x');
    await expect(pack(release.privateKeyPem, join(root, 'x.zip'))).rejects.toThrow(
      /not an installer/,
    );
  });
});

describe('version order', () => {
  it('orders as semver does', () => {
    const sorted = ['1.0.0', '0.10.0', '1.0.0-rc.2', '0.9.9', '1.0.0-rc.10', '1.0.0-beta'].sort(
      compareVersions,
    );
    expect(sorted).toEqual(['0.9.9', '0.10.0', '1.0.0-beta', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0']);
  });
});
