import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { openRange, sealedLayout } from '../encryption/blob-cipher.js';
import { blobFileName } from '../encryption/data-keys.js';
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
  /**
   * Where the blob's file lives. In an encrypted store the file holds ciphertext: read content
   * through `read`, `readRange`, `stream` or `source`, never from this path.
   */
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  /** Blobs are encrypted at rest (docs/encryption.md). */
  readonly isEncrypted: boolean;
  /** The whole blob, decrypted when the store is encrypted. */
  read(sha256: string): Promise<Buffer>;
  /** Bytes [start, end) of the blob (end clamped to its size). */
  readRange(sha256: string, start: number, end: number): Promise<Buffer>;
  /** The blob's size in bytes (of its content, not of its encrypted file). */
  sizeOf(sha256: string): Promise<number>;
  /** The blob's content in pieces, optionally only [start, end). */
  stream(sha256: string, range?: { start: number; end: number }): AsyncIterable<Buffer>;
  /**
   * The blob for the imaging workers: its path in a plain store (the worker reads the file
   * itself), its decrypted bytes in an encrypted one.
   */
  source(sha256: string): Promise<string | Buffer>;
  remove(sha256: string): Promise<void>;
  /** Removes temp files left by crashed processes (not those of running ones). Returns how many. */
  cleanTemp(): number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The keys of an encrypted store: contents under `blobKey`, file names keyed by `nameKey`. */
export interface BlobStoreKeys {
  readonly blobKey: Buffer;
  readonly nameKey: Buffer;
}

function missing(sha256: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `The stored file ${sha256.slice(0, 12)}… is missing from the data folder: import it again or restore a backup.`,
  );
}

async function readSealedRange(
  key: Buffer,
  path: string,
  sha256: string,
  start: number,
  end: number,
): Promise<AsyncGenerator<Buffer>> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? missing(sha256) : error;
  });
  const { size } = await handle.stat();
  return (async function* () {
    try {
      yield* openRange(
        key,
        async (position, length) => {
          const buffer = Buffer.alloc(length);
          const { bytesRead } = await handle.read(buffer, 0, length, position);
          return buffer.subarray(0, bytesRead);
        },
        size,
        start,
        end,
      );
    } finally {
      await handle.close();
    }
  })();
}

export function createBlobStore(root: string, keys?: BlobStoreKeys): BlobStore {
  const tmpDir = join(root, 'tmp');
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });

  const pathOf = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    // Encrypted: a keyed hash, so a file's name does not tell which known file it is.
    const name = keys === undefined ? sha256 : blobFileName(keys.nameKey, sha256);
    return join(root, name.slice(0, 2), name);
  };

  const batch = (): BlobBatch =>
    createBlobBatch({
      root,
      tmpDir,
      pathOf,
      ...(keys !== undefined && { blobKey: keys.blobKey }),
    });

  async function* stream(
    sha256: string,
    range?: { start: number; end: number },
  ): AsyncGenerator<Buffer> {
    const start = range?.start ?? 0;
    const end = range?.end ?? Number.POSITIVE_INFINITY;
    if (keys === undefined) {
      const handle = await open(pathOf(sha256), 'r').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? missing(sha256) : error;
      });
      try {
        const { size } = await handle.stat();
        let position = start;
        const to = Math.min(end, size);
        while (position < to) {
          const buffer = Buffer.alloc(Math.min(1 << 20, to - position));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
          if (bytesRead === 0) break;
          position += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
      return;
    }
    yield* await readSealedRange(keys.blobKey, pathOf(sha256), sha256, start, end);
  }

  async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const piece of pieces) parts.push(piece);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async function read(sha256: string): Promise<Buffer> {
    if (keys === undefined) {
      return readFile(pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? missing(sha256) : error;
      });
    }
    return collect(stream(sha256));
  }

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
    isEncrypted: keys !== undefined,
    read,
    readRange: (sha256, start, end) => collect(stream(sha256, { start, end })),
    async sizeOf(sha256) {
      const size = await stat(pathOf(sha256)).then(
        (s) => s.size,
        (error: NodeJS.ErrnoException) => {
          throw error.code === 'ENOENT' ? missing(sha256) : error;
        },
      );
      return keys === undefined ? size : sealedLayout(size).plainBytes;
    },
    stream,
    source: (sha256) => (keys === undefined ? Promise.resolve(pathOf(sha256)) : read(sha256)),

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
