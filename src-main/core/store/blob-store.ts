import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isOtherProcessRunning } from '../platform/process.js';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
}

/**
 * Content-addressed file store: blobs/<aa>/<sha256>. A blob is written to a temp file,
 * fsynced, then renamed into place, so a crash never leaves a half-written blob under its hash.
 */
export interface BlobStore {
  readonly root: string;
  putBuffer(data: Uint8Array): Promise<StoredBlob>;
  putFile(source: string, signal?: AbortSignal): Promise<StoredBlob>;
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

  async function syncDir(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function commit(tmpPath: string, sha256: string, size: number): Promise<StoredBlob> {
    const finalPath = pathOf(sha256);
    if (existsSync(finalPath)) {
      await rm(tmpPath, { force: true });
      return { sha256, size, path: finalPath };
    }
    const dir = join(root, sha256.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    await rename(tmpPath, finalPath);
    await syncDir(dir);
    return { sha256, size, path: finalPath };
  }

  function tempPath(): string {
    return join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}.part`);
  }

  return {
    root,
    pathOf,
    has: (sha256) => existsSync(pathOf(sha256)),

    async putBuffer(data) {
      const sha256 = createHash('sha256').update(data).digest('hex');
      if (existsSync(pathOf(sha256)))
        return { sha256, size: data.byteLength, path: pathOf(sha256) };
      const tmp = tempPath();
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return commit(tmp, sha256, data.byteLength);
    },

    async putFile(source, signal) {
      const tmp = tempPath();
      const hash = createHash('sha256');
      const handle = await open(tmp, 'wx');
      let size = 0;
      try {
        // Stream so a large file never sits whole in memory.
        for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20, signal })) {
          const bytes = chunk as Buffer;
          hash.update(bytes);
          await handle.write(bytes);
          size += bytes.byteLength;
        }
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(tmp, { force: true });
        throw error;
      }
      await handle.close();
      return commit(tmp, hash.digest('hex'), size);
    },

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
