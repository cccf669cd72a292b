import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { createBlobStore, type BlobStore } from './blob-store.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Distinct contents, the last larger than one write slice (1 MiB). */
function contents(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.alloc(i === count - 1 ? (1 << 20) * 2 + 17 : 1000 + i, i + 1),
  );
}

describe('blob batch', () => {
  let dir: string;
  let store: BlobStore;
  const tmpFiles = (): string[] => readdirSync(join(store.root, 'tmp'));
  /** Every blob under its final name: blobs/<aa>/<sha256>. */
  const finalBlobs = (): string[] =>
    readdirSync(store.root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'tmp')
      .flatMap(({ name }) => readdirSync(join(store.root, name)).map((n) => join(name, n)));
  /** Every blob under its final name holds exactly the bytes its name says. */
  const expectAllWhole = (): void => {
    for (const name of finalBlobs()) {
      expect(sha256(readFileSync(join(store.root, name)))).toBe(name.slice(3));
    }
  };
  beforeEach(() => {
    dir = makeTempDir();
    store = createBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => removeTempDir(dir));

  it('stores every blob of a batch under its sha256 on commit, and none before', async () => {
    const data = contents(20);
    const batch = store.batch();
    const staged = [];
    for (const bytes of data) staged.push(await batch.addBuffer(bytes));
    expect(batch.count).toBe(20);
    expect(batch.bytes).toBe(data.reduce((sum, b) => sum + b.byteLength, 0));
    expect(staged.map((blob) => store.has(blob.sha256))).toEqual(data.map(() => false));
    expect(tmpFiles()).toHaveLength(20);

    const committed = await batch.commit();
    expect(committed).toEqual(staged);
    for (const [i, blob] of committed.entries()) {
      expect(blob).toMatchObject({ sha256: sha256(data[i]!), size: data[i]!.byteLength });
      expect(blob.path).toBe(store.pathOf(blob.sha256));
      expect(readFileSync(blob.path)).toEqual(data[i]);
    }
    expect(finalBlobs()).toHaveLength(20);
    expect(tmpFiles()).toEqual([]);
    await expect(batch.addBuffer(Buffer.from('late'))).rejects.toThrow(/already committed/);
  });

  it('stages the same bytes once and leaves an already stored blob as it is', async () => {
    const stored = await store.putBuffer(Buffer.from('stored before'));
    const batch = store.batch();
    const a = await batch.addBuffer(Buffer.from('twice'));
    const b = await batch.addBuffer(Buffer.from('twice'));
    const again = await batch.addBuffer(Buffer.from('stored before'));
    expect(b).toEqual(a);
    expect(again).toEqual(stored);
    expect(batch.count).toBe(2);
    await batch.commit();
    expect(readFileSync(a.path, 'utf8')).toBe('twice');
    expect(readFileSync(stored.path, 'utf8')).toBe('stored before');
    expect(finalBlobs()).toHaveLength(2);
    expect(tmpFiles()).toEqual([]);
  });

  it('streams files into the batch; a file that fails to read leaves nothing, the rest commits', async () => {
    const [first, second] = contents(2);
    writeFileSync(join(dir, 'first.bin'), first!);
    writeFileSync(join(dir, 'second.bin'), second!);
    const batch = store.batch();
    const one = await batch.addFile(join(dir, 'first.bin'));
    await expect(batch.addFile(join(dir, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    // Cancelled while streaming a file larger than one chunk.
    const controller = new AbortController();
    const aborted = batch.addFile(join(dir, 'second.bin'), controller.signal);
    controller.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
    expect(tmpFiles()).toHaveLength(1);

    await batch.commit();
    expect(finalBlobs()).toEqual([join(one.sha256.slice(0, 2), one.sha256)]);
    expect(one).toMatchObject({ sha256: sha256(first!), size: first!.byteLength });
    expect(tmpFiles()).toEqual([]);
  });

  it('a commit that fails part-way leaves no temp file and no partial blob under a final name', async () => {
    const data = contents(12);
    const batch = store.batch();
    const blobs = [];
    for (const bytes of data) blobs.push(await batch.addBuffer(bytes));
    // The prefix folder of one blob cannot be created: a file is in its way.
    const blocked = blobs[7]!;
    writeFileSync(join(store.root, blocked.sha256.slice(0, 2)), 'in the way');

    await expect(batch.commit()).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(tmpFiles()).toEqual([]);
    expect(store.has(blocked.sha256)).toBe(false);
    // Blobs renamed before the failure are whole (fsynced before the rename), never partial.
    expectAllWhole();
    expect(finalBlobs().length).toBeLessThan(12);
  });

  it('an aborted batch leaves neither temp files nor blobs', async () => {
    const batch = store.batch();
    for (const bytes of contents(5)) await batch.addBuffer(bytes);
    await batch.abort();
    await batch.abort(); // twice is harmless
    expect(tmpFiles()).toEqual([]);
    expect(finalBlobs()).toEqual([]);
    await expect(batch.commit()).rejects.toThrow(/already committed or aborted/);
  });

  it('cleans the temp files of a batch that never committed (a crash) when the store is opened', async () => {
    const batch = store.batch();
    for (const bytes of contents(4)) await batch.addBuffer(bytes);
    expect(tmpFiles()).toHaveLength(4);
    // The process "crashed" here. Its pid is ours, which cleanTemp treats as an earlier process.
    const reopened = createBlobStore(store.root);
    expect(reopened.cleanTemp()).toBe(4);
    expect(tmpFiles()).toEqual([]);
    expect(finalBlobs()).toEqual([]);
    await batch.abort(); // closes the descriptors this test still holds
    expect(existsSync(join(store.root, 'tmp'))).toBe(true);
  });
});
