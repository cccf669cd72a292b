import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import {
  appVersion,
  packUpdateBundle,
  resolveDataDir,
  stageUpdate,
  UPDATE_PUBLIC_KEY_PEM,
  verifyUpdateBundle,
} from '../../core/index.js';
import type { Command } from '../args.js';
import type { CliIo } from '../cli-io.js';

type Pack = Extract<Command, { kind: 'update pack' }>;
type VerifyOrApply = Extract<Command, { kind: 'update verify' | 'update apply' }>;

/** The release side: signs an installer into a bundle for USB sticks. */
export async function runUpdatePack(command: Pack, io: CliIo): Promise<number> {
  const keyPath = resolve(io.cwd, command.key);
  const privateKeyPem = await readFile(keyPath, 'utf8').catch(() => {
    throw new AppError('NOT_FOUND', `Cannot read the private key ${keyPath}.`);
  });
  const manifest = await packUpdateBundle({
    installer: resolve(io.cwd, command.installer),
    version: command.release ?? appVersion(),
    privateKeyPem,
    outDir: resolve(io.cwd, command.out),
    now: () => new Date(),
  });
  io.stdout.write(
    `Wrote the signed bundle for Neurosphere ${manifest.version} (${manifest.installer.file}, ` +
      `sha256 ${manifest.installer.sha256}) to ${resolve(io.cwd, command.out)}.\n`,
  );
  return 0;
}

/** The clinic side: verify (read-only) or apply (verify, stage, say what runs next). */
export async function runUpdateVerifyOrApply(command: VerifyOrApply, io: CliIo): Promise<number> {
  const options = {
    bundleDir: resolve(io.cwd, command.bundle),
    publicKeyPem: UPDATE_PUBLIC_KEY_PEM,
    currentVersion: appVersion(),
  };
  if (command.kind === 'update verify') {
    const verified = await verifyUpdateBundle(options);
    if (command.json) io.stdout.write(`${JSON.stringify(verified.manifest)}\n`);
    else {
      io.stdout.write(
        `The bundle is genuine: Neurosphere ${verified.manifest.version} ` +
          `(${verified.manifest.installer.kind} for ${verified.manifest.installer.platform}), ` +
          `signed with the release key, installer sha256 verified. Installed: ${options.currentVersion}.\n`,
      );
    }
    return 0;
  }
  const staged = await stageUpdate({
    ...options,
    dataDir: resolveDataDir(command.dataDir, io.env),
    platform: process.platform,
  });
  if (command.json) {
    io.stdout.write(
      `${JSON.stringify({ version: staged.manifest.version, stagedInstaller: staged.stagedInstaller, nextSteps: staged.nextSteps })}\n`,
    );
  } else {
    io.stdout.write(
      `Verified Neurosphere ${staged.manifest.version} and staged its installer at ` +
        `${staged.stagedInstaller}.\nNext (the data folder is kept by every installer; take a ` +
        'backup first with "neurosphere backup DIR"):\n' +
        staged.nextSteps.map((step) => `  ${step}\n`).join(''),
    );
  }
  return 0;
}
