import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { ChunkSealer, sealBuffer } from '../encryption/blob-cipher.js';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
}

/**
 * Blobs staged together and made durable together. Each added blob is written to a temp file at
 * once; `commit` then fsyncs the files a few at a time (so the file system can serve several with
 * one journal commit), renames each under its hash and fsyncs every touched folder once, instead
 * of a file fsync and a folder fsync per blob, one after the other. A blob is not visible under
 * its hash, and not durable, before `commit` resolves.
 */
export interface BlobBatch {
  /** Distinct blobs staged (the same bytes added twice are staged once). */
  readonly count: number;
  /** Bytes written to temp files so far. */
  readonly bytes: number;
  /**
   * Writes the bytes to a temp file (once per batch for the same bytes). `knownSha256`, when the
   * caller has hashed these very bytes already, saves hashing them again.
   */
  addBuffer(data: Uint8Array, knownSha256?: string): Promise<StoredBlob>;
  /** Streams a file to a temp file while hashing it; a failed read leaves no temp file. */
  addFile(source: string, signal?: AbortSignal): Promise<StoredBlob>;
  /**
   * Makes every staged blob durable under its hash (bytes found already stored are not renamed
   * over). If it throws, no temp file is left, and a blob already renamed is whole (fsynced
   * before its rename) but may be unreferenced.
   */
  commit(): Promise<StoredBlob[]>;
  /** Drops a batch that will not be committed: removes its temp files. Safe to call twice. */
  abort(): Promise<void>;
}

export interface BatchDeps {
  root: string;
  tmpDir: string;
  pathOf(sha256: string): string;
  /** The blob key of an encrypted store: temp files are written encrypted, never in clear. */
  blobKey?: Buffer;
}

interface Staged {
  readonly blob: StoredBlob;
  readonly tmp: string;
  /** Open until the commit has fsynced it. */
  fd: number | null;
  isRenamed: boolean;
}

/**
 * fsyncs in flight at once. They run on libuv's threads (4 by default), which the imaging
 * workers' reads share; 3, 4 and 8 measured the same on the import benchmark, 1 and 2 slower.
 */
const SYNC_CONCURRENCY = 4;

/**
 * Temp files are written with synchronous calls, in slices of this size with a yield between
 * them (and the import reads files up to this size synchronously). An asynchronous fs call waits
 * for a libuv thread, and while a batch commits, its fsyncs hold those threads for milliseconds
 * each: reading a 0.5 MB file took ~1.5 ms asynchronously against ~0.1 ms synchronously. A slice
 * blocks the event loop for about a millisecond.
 */
export const SYNC_IO_SLICE_BYTES = 1 << 20;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const fdatasync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) =>
    fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())),
  );

async function writeAll(fd: number, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.byteLength) {
    const length = Math.min(SYNC_IO_SLICE_BYTES, data.byteLength - offset);
    offset += fs.writeSync(fd, data, offset, length);
    if (offset < data.byteLength) await yieldToEventLoop();
  }
}

/** Runs `task` on the items, `limit` at a time; on a failure, waits for the running ones. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      try {
        await task(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}

async function syncDir(dir: string): Promise<void> {
  const fd = fs.openSync(dir, 'r');
  try {
    await new Promise<void>((resolve, reject) =>
      fs.fsync(fd, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    fs.closeSync(fd);
  }
}

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function createBlobBatch(deps: BatchDeps): BlobBatch {
  /** Every blob added, in order, each with the temp file it is written to. */
  const staged = new Map<string, Staged>();
  let bytes = 0;
  let isClosed = false;

  const tempPath = (): string =>
    join(deps.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}.part`);

  function checkOpen(): void {
    if (isClosed) throw new Error('blob batch already committed or aborted');
  }

  function discard(fd: number, tmp: string): void {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
  }

  /** Keeps the temp file unless the same bytes were staged meanwhile (concurrent adds). */
  function stage(sha256: string, size: number, fd: number, tmp: string): StoredBlob {
    if (isClosed) {
      discard(fd, tmp);
      throw new Error('blob batch committed or aborted while a blob was being added');
    }
    const existing = staged.get(sha256);
    if (existing !== undefined) {
      discard(fd, tmp);
      return existing.blob;
    }
    const blob = { sha256, size, path: deps.pathOf(sha256) };
    staged.set(sha256, { blob, tmp, fd, isRenamed: false });
    bytes += size;
    return blob;
  }

  function removeTemps(): void {
    for (const entry of staged.values()) {
      if (entry.fd !== null) fs.closeSync(entry.fd);
      entry.fd = null;
      if (!entry.isRenamed) fs.rmSync(entry.tmp, { force: true });
    }
  }

  /**
   * Whether a blob is already stored is decided here, not when it is added: a blob seen at add
   * time may be removed before the commit (its import rejected), and its bytes must not be lost.
   */
  function renameAll(): Set<string> {
    const dirs = new Set<string>();
    for (const entry of staged.values()) {
      const dir = dirname(entry.blob.path);
      // A new prefix folder's own name lives in the root: that must be durable too.
      if (fs.mkdirSync(dir, { recursive: true }) !== undefined) dirs.add(deps.root);
      if (fs.existsSync(entry.blob.path)) fs.rmSync(entry.tmp, { force: true });
      else fs.renameSync(entry.tmp, entry.blob.path);
      entry.isRenamed = true;
      dirs.add(dir);
    }
    return dirs;
  }

  return {
    get count() {
      return staged.size;
    },
    get bytes() {
      return bytes;
    },

    async addBuffer(data, knownSha256) {
      checkOpen();
      const sha256 = knownSha256 ?? sha256Of(data);
      const existing = staged.get(sha256);
      if (existing !== undefined) return existing.blob;
      const tmp = tempPath();
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        await writeAll(fd, deps.blobKey === undefined ? data : sealBuffer(deps.blobKey, data));
      } catch (error) {
        discard(fd, tmp);
        throw error;
      }
      return stage(sha256, data.byteLength, fd, tmp);
    },

    async addFile(source, signal) {
      checkOpen();
      const tmp = tempPath();
      const hash = createHash('sha256');
      const fd = fs.openSync(tmp, 'wx', 0o600);
      const sealer = deps.blobKey === undefined ? null : new ChunkSealer(deps.blobKey);
      let size = 0;
      try {
        if (sealer !== null) await writeAll(fd, sealer.header);
        // Stream so a large file never sits whole in memory.
        for await (const chunk of fs.createReadStream(source, {
          highWaterMark: SYNC_IO_SLICE_BYTES,
          signal,
        })) {
          const data = chunk as Buffer;
          hash.update(data);
          if (sealer === null) await writeAll(fd, data);
          else for (const sealed of sealer.push(data)) await writeAll(fd, sealed);
          size += data.byteLength;
        }
        if (sealer !== null) await writeAll(fd, sealer.finish());
      } catch (error) {
        discard(fd, tmp);
        throw error;
      }
      return stage(hash.digest('hex'), size, fd, tmp);
    },

    async commit() {
      checkOpen();
      isClosed = true;
      const entries = [...staged.values()];
      try {
        // Data first (fdatasync also persists the size of a new file), then the names.
        await forEachLimited(entries, SYNC_CONCURRENCY, async (entry) => {
          if (entry.fd === null) return;
          await fdatasync(entry.fd);
          fs.closeSync(entry.fd);
          entry.fd = null;
        });
        const dirs = renameAll();
        await forEachLimited([...dirs], SYNC_CONCURRENCY, syncDir);
      } catch (error) {
        removeTemps();
        throw error;
      }
      return entries.map((entry) => entry.blob);
    },

    abort() {
      isClosed = true;
      removeTemps();
      return Promise.resolve();
    },
  };
}
