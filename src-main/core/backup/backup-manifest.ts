import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors.js';

/** The manifest's file name inside a backup folder; written last, so a partial backup has none. */
export const BACKUP_MANIFEST = 'manifest.json';
/** The database's name inside a backup folder and inside the data folder. */
export const DATABASE_FILE = 'neurosphere.db';

const SHA256 = /^[0-9a-f]{64}$/;
/**
 * Relative paths the manifest may name: the database, a blob, or an encrypted folder's wrapped
 * data key (encryption.json); nothing that climbs out.
 */
const BACKUP_PATH = /^(neurosphere\.db|encryption\.json|blobs\/[0-9a-f]{2}\/[0-9a-f]{64})$/;

const backupFileSchema = z.object({
  path: z.string().regex(BACKUP_PATH),
  sha256: z.string().regex(SHA256),
  size: z.number().int().nonnegative(),
});
export type BackupFile = z.infer<typeof backupFileSchema>;

export const backupManifestSchema = z.object({
  format: z.literal('neurosphere-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  appVersion: z.string(),
  /** The database's migration level: a newer app migrates it forward at its next start. */
  schemaVersion: z.number().int(),
  files: z.array(backupFileSchema).min(1),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Reads and checks a backup's manifest, with an error that says what is wrong and what to do. */
export async function readBackupManifest(backupDir: string): Promise<BackupManifest> {
  const path = join(backupDir, BACKUP_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new AppError(
      'NOT_FOUND',
      `${path} is missing: ${backupDir} is not a complete Neurosphere backup (a backup that was ` +
        'interrupted has no manifest). Choose the folder that "neurosphere backup" wrote.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', `${path} is not valid JSON: the backup is damaged.`);
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.')}: ${issue.message})`;
    throw new AppError(
      'INVALID_INPUT',
      `${path} is not a Neurosphere backup manifest${where}: the backup is damaged or not ours.`,
    );
  }
  if (!parsed.data.files.some((file) => file.path === DATABASE_FILE)) {
    throw new AppError('INVALID_INPUT', `${path} lists no database: the backup is damaged.`);
  }
  return parsed.data;
}
