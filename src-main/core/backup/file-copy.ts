import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** sha256 (hex) and size of a file, read as a stream. */
export async function hashFile(
  path: string,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.byteLength;
    onBytes?.(bytes.byteLength);
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Copies a file, hashing what it reads, and fsyncs the copy: a backup on a USB stick that is
 * pulled out right after "done" must still hold every byte. Returns the copy's sha256 and size.
 */
export async function copyFileHashed(
  source: string,
  target: string,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<{ sha256: string; size: number }> {
  await mkdir(dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(target, 'wx');
  try {
    for await (const chunk of createReadStream(source, { signal })) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.byteLength;
      await out.write(bytes);
      onBytes?.(bytes.byteLength);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return { sha256: hash.digest('hex'), size };
}

/** fsyncs a folder, so the names of the files just written in it survive a power cut. */
export async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the files themselves were synced.
  } finally {
    await handle.close();
  }
}
