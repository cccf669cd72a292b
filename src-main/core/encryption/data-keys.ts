import { createHmac, hkdfSync } from 'node:crypto';

export const DATA_KEY_BYTES = 32;

/**
 * The keys derived from a data folder's one data key (HKDF-SHA256, one label each), so a key is
 * never used for two purposes: the SQLCipher key of the database, the AES-GCM key of the blobs,
 * the HMAC key that names blob files, and the key that seals the not-yet-confirmed recovery key.
 */
export interface DataKeys {
  readonly databaseKey: Buffer;
  readonly blobKey: Buffer;
  readonly nameKey: Buffer;
  readonly pendingKey: Buffer;
}

function derive(dataKey: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `neurosphere ${label}`, 32));
}

export function deriveDataKeys(dataKey: Buffer): DataKeys {
  return {
    databaseKey: derive(dataKey, 'database'),
    blobKey: derive(dataKey, 'blobs'),
    nameKey: derive(dataKey, 'blob names'),
    pendingKey: derive(dataKey, 'pending recovery key'),
  };
}

/** The file name of a blob in an encrypted store: a keyed hash, so names reveal no content hash. */
export function blobFileName(nameKey: Buffer, sha256: string): string {
  return createHmac('sha256', nameKey).update(sha256).digest('hex');
}
