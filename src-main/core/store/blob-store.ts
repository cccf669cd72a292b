import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isOtherProcessRunning } from '../platform/process.js';
import { createBlobBatch, sha256Of, type BlobBatch, type StoredBlob } from './blob-batch.js';

export type { BlobBatch, StoredBlob } from './blob-batch.js';

/**
 * Content-addressed file store: blobs/<aa>/<sha256>. A blob is written to a temp file,
 * fsynced, then renamed into place and its folder fsynced, so a crash never leaves a
 * half-written blob under its hash, and a blob is durable once a put or a batch's commit resolves.
 */
export interface BlobStore {
  readonly root: string;
  putBuffer(data: Uint8Array): Promise<StoredBlob>;
  putFile(source: string, signal?: AbortSignal): Promise<StoredBlob>;
  /** Stages many blobs and makes them durable together: the fast way to store many files. */
  batch(): BlobBatch;
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  remove(sha256: string): Promise<void>;
  /** Removes temp files left by crashed processes (not those of running ones). Returns how many. */
  cleanTemp(): number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function createBlobStore(root: string): BlobStore {
  const tmpDir = join(root, 'tmp');
  mkdirSync(tmpDir, { recursive: true });

  const pathOf = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(root, sha256.slice(0, 2), sha256);
  };

  const batch = (): BlobBatch => createBlobBatch({ root, tmpDir, pathOf });

  /** One blob is a batch of one. */
  async function putOne(add: (b: BlobBatch) => Promise<StoredBlob>): Promise<StoredBlob> {
    const single = batch();
    try {
      const blob = await add(single);
      await single.commit();
      return blob;
    } catch (error) {
      await single.abort();
      throw error;
    }
  }

  return {
    root,
    pathOf,
    has: (sha256) => existsSync(pathOf(sha256)),

    batch,
    putBuffer(data) {
      const sha256 = sha256Of(data);
      const path = pathOf(sha256);
      if (existsSync(path)) return Promise.resolve({ sha256, size: data.byteLength, path });
      return putOne((single) => single.addBuffer(data, sha256));
    },
    putFile: (source, signal) => putOne((single) => single.addFile(source, signal)),

    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },

    cleanTemp() {
      let removed = 0;
      for (const name of readdirSync(tmpDir)) {
        // Another process (the CLI next to the desktop app) may be writing its temp files right now.
        const writer = /^(\d+)-/.exec(name)?.[1];
        if (writer !== undefined && isOtherProcessRunning(Number(writer))) continue;
        rmSync(join(tmpDir, name), { force: true });
        removed++;
      }
      return removed;
    },
  };
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
