import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { createBlobStore, type BlobStore } from './blob-store.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('blob store', () => {
  let dir: string;
  let store: BlobStore;
  const tmpFiles = (): string[] => readdirSync(join(store.root, 'tmp'));
  beforeEach(() => {
    dir = makeTempDir();
    store = createBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => removeTempDir(dir));

  it('stores bytes under their sha256, once, whatever the number of copies', async () => {
    const data = Buffer.from('the same scan twice');
    const first = await store.putBuffer(data);
    const second = await store.putBuffer(Buffer.from(data));
    expect(first.sha256).toBe(sha256(data));
    expect(second.path).toBe(first.path);
    expect(first.path).toBe(join(store.root, first.sha256.slice(0, 2), first.sha256));
    expect(readFileSync(first.path)).toEqual(data);
    expect(first.size).toBe(data.byteLength);
    expect(readdirSync(join(store.root, first.sha256.slice(0, 2)))).toEqual([first.sha256]);
    const other = await store.putBuffer(Buffer.from('another scan'));
    expect(other.sha256).not.toBe(first.sha256);
  });

  it('leaves no temp files behind after writes', async () => {
    await store.putBuffer(Buffer.from('a'));
    await store.putBuffer(Buffer.from('a'));
    const source = join(dir, 'source.bin');
    writeFileSync(source, Buffer.alloc(10_000, 7));
    await store.putFile(source);
    await store.putFile(source);
    expect(tmpFiles()).toEqual([]);
  });

  it('streams a file larger than one read chunk and hashes all of it', async () => {
    const data = Buffer.alloc(3 * (1 << 20) + 123);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    const source = join(dir, 'big.bin');
    writeFileSync(source, data);
    const blob = await store.putFile(source);
    expect(blob).toMatchObject({ sha256: sha256(data), size: data.byteLength });
    expect(sha256(readFileSync(blob.path))).toBe(blob.sha256);
    expect(store.has(blob.sha256)).toBe(true);
  });

  it('leaves no temp file when the source cannot be read', async () => {
    await expect(store.putFile(join(dir, 'missing.dcm'))).rejects.toThrow(/ENOENT/);
    expect(tmpFiles()).toEqual([]);
  });

  it('removes a blob', async () => {
    const blob = await store.putBuffer(Buffer.from('to delete'));
    await store.remove(blob.sha256);
    expect(store.has(blob.sha256)).toBe(false);
    expect(existsSync(blob.path)).toBe(false);
    await store.remove(blob.sha256); // removing twice is harmless
  });

  it('refuses a path that is not a sha256, so ids never become file paths', () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/not a sha256/);
  });

  it('cleans temp files left by a crashed process but not those of a running one', () => {
    const tmp = join(store.root, 'tmp');
    writeFileSync(join(tmp, '999999-0123456789abcdef.part'), 'half a blob of a dead process');
    writeFileSync(
      join(tmp, `${process.pid}-0123456789abcdef.part`),
      'our own from before a restart',
    );
    writeFileSync(join(tmp, 'junk.part'), 'unknown');
    const live = `${process.ppid}-fedcba9876543210.part`;
    writeFileSync(join(tmp, live), 'being written by another process right now');
    expect(store.cleanTemp()).toBe(3);
    expect(tmpFiles()).toEqual([live]);
  });
});
