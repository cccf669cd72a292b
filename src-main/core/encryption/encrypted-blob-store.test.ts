import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlobStore, type BlobStore } from '../store/blob-store.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { CHUNK_BYTES } from './blob-cipher.js';

describe('an encrypted blob store', () => {
  let root: string;
  let store: BlobStore;
  const keys = { blobKey: randomBytes(32), nameKey: randomBytes(32) };

  beforeEach(() => {
    root = makeTempDir('neurosphere-blobs-');
    store = createBlobStore(join(root, 'blobs'), keys);
  });
  afterEach(() => removeTempDir(root));

  it('stores buffers and files encrypted and reads them back whole, by range and streamed', async () => {
    const data = Buffer.concat([Buffer.from('PATIENT^SECRET'), randomBytes(2 * CHUNK_BYTES + 333)]);
    const source = join(root, 'source.bin');
    writeFileSync(source, data);
    const fromFile = await store.putFile(source);
    const fromBuffer = await store.putBuffer(data);
    expect(fromFile.sha256).toBe(fromBuffer.sha256);
    expect(fromFile.size).toBe(data.length);
    expect(store.isEncrypted).toBe(true);

    const file = store.pathOf(fromFile.sha256);
    expect(file).not.toContain(fromFile.sha256);
    expect(readFileSync(file).includes('PATIENT^SECRET')).toBe(false);
    expect((statSync(file).mode & 0o077) === 0).toBe(true);

    expect((await store.read(fromFile.sha256)).equals(data)).toBe(true);
    expect(await store.sizeOf(fromFile.sha256)).toBe(data.length);
    const start = CHUNK_BYTES - 3;
    const range = await store.readRange(fromFile.sha256, start, start + 10);
    expect(range.equals(data.subarray(start, start + 10))).toBe(true);
    const pieces: Buffer[] = [];
    for await (const piece of store.stream(fromFile.sha256)) pieces.push(piece);
    expect(Buffer.concat(pieces).equals(data)).toBe(true);
    expect(Buffer.isBuffer(await store.source(fromFile.sha256))).toBe(true);
  });

  it('stores an empty blob, and says clearly when a blob is missing or damaged', async () => {
    const empty = await store.putBuffer(new Uint8Array());
    expect((await store.read(empty.sha256)).length).toBe(0);
    const blob = await store.putBuffer(Buffer.from('some bytes'));
    const file = store.pathOf(blob.sha256);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);
    await expect(store.read(blob.sha256)).rejects.toThrow(/damaged/);
    await expect(store.read('ab'.repeat(32))).rejects.toThrow(/missing from the data folder/);
    // Another data folder's keys cannot read it.
    const other = createBlobStore(join(root, 'blobs'), { ...keys, blobKey: randomBytes(32) });
    await expect(other.read(empty.sha256)).rejects.toThrow(/does not verify/);
  });
});
