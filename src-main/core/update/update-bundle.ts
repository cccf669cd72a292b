import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors.js';
import { copyFileHashed, hashFile } from '../backup/file-copy.js';
import { compareVersions, isVersion } from './version-order.js';

/** The signed manifest and its detached Ed25519 signature (base64) inside a bundle folder. */
export const UPDATE_MANIFEST = 'update.json';
export const UPDATE_SIGNATURE = 'update.json.sig';

const INSTALLER_KINDS = {
  '.exe': { kind: 'nsis', platform: 'win32' },
  '.msi': { kind: 'msi', platform: 'win32' },
  '.dmg': { kind: 'dmg', platform: 'darwin' },
  '.AppImage': { kind: 'appimage', platform: 'linux' },
  '.deb': { kind: 'deb', platform: 'linux' },
} as const;
type InstallerKind = (typeof INSTALLER_KINDS)[keyof typeof INSTALLER_KINDS]['kind'];

const updateManifestSchema = z.object({
  format: z.literal('neurosphere-update'),
  formatVersion: z.literal(1),
  version: z.string().refine(isVersion, 'not a version'),
  createdAt: z.string(),
  installer: z.object({
    // A plain file name: the bundle cannot point outside its own folder.
    file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}$/),
    kind: z.enum(['nsis', 'msi', 'dmg', 'appimage', 'deb']),
    platform: z.enum(['win32', 'darwin', 'linux']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().positive(),
  }),
});
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

function installerKindOf(file: string): { kind: InstallerKind; platform: NodeJS.Platform } {
  const entry = Object.entries(INSTALLER_KINDS).find(([ext]) => file.endsWith(ext));
  if (entry === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `${basename(file)} is not an installer Neurosphere builds (${Object.keys(INSTALLER_KINDS).join(', ')}).`,
    );
  }
  return entry[1];
}

function ed25519Key(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'INVALID_INPUT',
      `The ${what} is a ${key.asymmetricKeyType ?? 'secret'} key, not Ed25519.`,
    );
  }
  return key;
}

function parseKey(pem: string, kind: 'private' | 'public'): KeyObject {
  try {
    return ed25519Key(
      kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem),
      `${kind} key`,
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'INVALID_INPUT',
      `The ${kind} key is not a PEM key (${(error as Error).message}).`,
    );
  }
}

export interface PackOptions {
  readonly installer: string;
  readonly version: string;
  readonly privateKeyPem: string;
  readonly outDir: string;
  readonly now: () => Date;
}

/** Builds a bundle folder: the installer, its manifest, and the manifest's Ed25519 signature. */
export async function packUpdateBundle(options: PackOptions): Promise<UpdateManifest> {
  if (!isVersion(options.version)) {
    throw new AppError('INVALID_INPUT', `"${options.version}" is not a version (e.g. 1.4.0).`);
  }
  const key = parseKey(options.privateKeyPem, 'private');
  const { kind, platform } = installerKindOf(options.installer);
  if (
    !(await stat(options.installer).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new AppError('NOT_FOUND', `${options.installer} is not a file.`);
  }
  if (existsSync(options.outDir) && (await readdir(options.outDir)).length > 0) {
    throw new AppError(
      'CONFLICT',
      `${options.outDir} is not empty. Write the bundle into a new folder.`,
    );
  }
  await mkdir(options.outDir, { recursive: true });
  const file = basename(options.installer);
  const copy = await copyFileHashed(options.installer, join(options.outDir, file));
  const manifest: UpdateManifest = {
    format: 'neurosphere-update',
    formatVersion: 1,
    version: options.version,
    createdAt: options.now().toISOString(),
    installer: {
      file,
      kind,
      platform: platform as UpdateManifest['installer']['platform'],
      ...copy,
    },
  };
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await writeFile(join(options.outDir, UPDATE_MANIFEST), bytes);
  await writeFile(
    join(options.outDir, UPDATE_SIGNATURE),
    `${sign(null, bytes, key).toString('base64')}\n`,
  );
  return manifest;
}

const refused = (message: string): AppError =>
  new AppError('INVALID_INPUT', `Update refused: ${message} Nothing was installed.`);

export interface VerifyOptions {
  readonly bundleDir: string;
  /** The key compiled into the app (update-public-key.ts); tests pass their own. */
  readonly publicKeyPem: string;
  readonly currentVersion: string;
  /** Cancels the hashing and copying (the admin screen's Cancel). */
  readonly signal?: AbortSignal;
  /** Bytes read so far (hashing, then copying): the admin screen's progress. */
  readonly onBytes?: (bytes: number) => void;
}

export interface VerifiedBundle {
  readonly manifest: UpdateManifest;
  readonly installerPath: string;
}

/**
 * Checks a bundle before anything is installed: the signature over the manifest's exact bytes
 * (before they are even parsed), then the manifest, that it is newer than the running app, and
 * that the installer has the size and sha256 the signed manifest names.
 */
export async function verifyUpdateBundle(options: VerifyOptions): Promise<VerifiedBundle> {
  const { bundleDir } = options;
  const manifestPath = join(bundleDir, UPDATE_MANIFEST);
  const bytes = await readFile(manifestPath).catch(() => {
    throw refused(
      `${manifestPath} is missing, so ${bundleDir} is not a Neurosphere update bundle. Copy the ` +
        'whole bundle folder from the release, not just the installer.',
    );
  });
  const signatureText = await readFile(join(bundleDir, UPDATE_SIGNATURE), 'utf8').catch(() => {
    throw refused(
      `the bundle has no signature (${UPDATE_SIGNATURE}); an unsigned bundle is never installed.`,
    );
  });
  const key = parseKey(options.publicKeyPem, 'public');
  const signature = Buffer.from(signatureText.trim(), 'base64');
  if (signature.length !== 64 || !verify(null, bytes, key, signature)) {
    throw refused(
      'its signature is not valid: the bundle was changed after it was signed, or it was not ' +
        'signed with the Neurosphere release key. Do not install it; get the bundle again from ' +
        'your supplier.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = updateManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw refused(
      `its manifest is not one this version understands (${parsed.error.issues[0]?.message ?? ''}).`,
    );
  }
  const manifest = parsed.data;
  const order = compareVersions(manifest.version, options.currentVersion);
  if (order <= 0) {
    throw refused(
      order === 0
        ? `version ${manifest.version} is already installed.`
        : `it holds version ${manifest.version}, older than the installed ${options.currentVersion}; ` +
            'downgrades are not applied (an older app cannot open a newer database).',
    );
  }
  const installerPath = join(bundleDir, manifest.installer.file);
  const actual = await hashFile(installerPath, options.signal, options.onBytes).catch(
    (error: unknown) => {
      if (options.signal?.aborted === true) throw error;
      throw refused(`the installer ${manifest.installer.file} is missing from the bundle.`);
    },
  );
  if (actual.size !== manifest.installer.size || actual.sha256 !== manifest.installer.sha256) {
    throw refused(
      `the installer ${manifest.installer.file} does not match the signed manifest (damaged or ` +
        'changed). Get the bundle again from your supplier.',
    );
  }
  return { manifest, installerPath };
}

/** What the admin runs next for each kind of installer (with the staged path). */
export function nextSteps(kind: InstallerKind, path: string): string[] {
  switch (kind) {
    case 'nsis':
      return [`Close Neurosphere, then as an administrator run: "${path}" /S`];
    case 'msi':
      return [`Close Neurosphere, then as an administrator run: msiexec /i "${path}" /qn`];
    case 'deb':
      return [`Close Neurosphere, then run: sudo apt install "${path}"`];
    case 'appimage':
      return [
        `Close Neurosphere, then replace the AppImage you start with "${path}" and make it executable (chmod +x).`,
      ];
    case 'dmg':
      return [
        `Close Neurosphere, open "${path}" and drag Neurosphere into Applications, replacing the old one.`,
      ];
  }
}

export interface StagedUpdate extends VerifiedBundle {
  /** The verified copy of the installer inside the data folder. */
  readonly stagedInstaller: string;
  readonly nextSteps: string[];
}

/**
 * Applies a bundle the only way a non-elevated process safely can: verifies it, copies the
 * installer into `<data folder>/updates/<version>/`, checks the copy against the signed sha256
 * again (a USB stick can fail mid-copy), and says what the admin runs next. The installer
 * itself needs administrator rights and a closed app, so the admin starts it.
 */
export async function stageUpdate(
  options: VerifyOptions & { readonly dataDir: string; readonly platform: NodeJS.Platform },
): Promise<StagedUpdate> {
  const verified = await verifyUpdateBundle(options);
  const { installer } = verified.manifest;
  if (installer.platform !== options.platform) {
    throw refused(
      `the bundle is for ${installer.platform}, and this machine runs ${options.platform}.`,
    );
  }
  const stageDir = join(options.dataDir, 'updates', verified.manifest.version);
  await rm(stageDir, { recursive: true, force: true });
  const stagedInstaller = join(stageDir, installer.file);
  const copy = await copyFileHashed(
    verified.installerPath,
    stagedInstaller,
    options.signal,
    options.onBytes,
  ).catch(async (error: unknown) => {
    await rm(stageDir, { recursive: true, force: true });
    throw error;
  });
  if (copy.sha256 !== installer.sha256) {
    await rm(stageDir, { recursive: true, force: true });
    throw refused(
      'the installer changed while it was copied from the bundle. Copy the bundle again.',
    );
  }
  await writeFile(
    join(stageDir, UPDATE_MANIFEST),
    `${JSON.stringify(verified.manifest, null, 2)}\n`,
  );
  return { ...verified, stagedInstaller, nextSteps: nextSteps(installer.kind, stagedInstaller) };
}
