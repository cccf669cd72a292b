import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors.js';

/** Beside the database: says the folder is encrypted and holds its data key, wrapped twice. */
export const ENCRYPTION_FILE = 'encryption.json';

const sealedSchema = z.object({ iv: z.string(), tag: z.string(), data: z.string() });
export type Sealed = z.infer<typeof sealedSchema>;

const encryptionFileSchema = z.object({
  format: z.literal('neurosphere-encryption'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  database: z.string(),
  blobs: z.string(),
  /** The data key under the wrapping key (OS keychain or NEUROSPHERE_DATA_KEY_FILE). */
  wrappedByKeychain: sealedSchema,
  /** The data key under the admin's recovery key. */
  wrappedByRecoveryKey: sealedSchema,
  /** The recovery key's text under a key derived from the data key, until the admin confirms it. */
  pendingRecoveryKey: sealedSchema.nullable(),
});
export type EncryptionFile = z.infer<typeof encryptionFileSchema>;

export const DATABASE_CIPHER = 'SQLCipher 4 (SQLite3 Multiple Ciphers)';
export const BLOB_CIPHER = 'AES-256-GCM, 64 KiB chunks, HMAC-SHA256 file names';

export function encryptionFilePath(dataDir: string): string {
  return join(dataDir, ENCRYPTION_FILE);
}

export function isEncryptedDataDir(dataDir: string): boolean {
  return existsSync(encryptionFilePath(dataDir));
}

export function seal(key: Buffer, plain: Buffer, purpose: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`neurosphere ${purpose}`));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The plaintext, or null when `key` is not the key it was sealed with. */
export function unseal(key: Buffer, sealed: Sealed, purpose: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(`neurosphere ${purpose}`));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export function readEncryptionFile(dataDir: string): EncryptionFile {
  const path = encryptionFilePath(dataDir);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError(
      'CORRUPT_FILE',
      `${path} cannot be read (${error instanceof Error ? error.message : String(error)}): restore it from a backup of the data folder; without it the data cannot be decrypted.`,
    );
  }
  const result = encryptionFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError(
      'CORRUPT_FILE',
      `${path} is not a Neurosphere encryption file: restore it from a backup of the data folder.`,
    );
  }
  return result.data;
}

/** Written whole or not at all (temp file, fsync, rename), readable only by the owner. */
export function writeEncryptionFile(dataDir: string, file: EncryptionFile): void {
  const path = encryptionFilePath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 1)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(dataDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
