import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_BYTES,
  HEADER_BYTES,
  openRange,
  sealBuffer,
  sealedLayout,
  sealedSize,
  ChunkSealer,
} from './blob-cipher.js';

const key = randomBytes(32);

async function open(sealed: Buffer, start?: number, end?: number, withKey = key): Promise<Buffer> {
  const parts: Buffer[] = [];
  const readAt = (position: number, length: number) =>
    Promise.resolve(sealed.subarray(position, position + length));
  for await (const part of openRange(withKey, readAt, sealed.length, start, end)) parts.push(part);
  return Buffer.concat(parts);
}

describe('the chunked AES-256-GCM blob format', () => {
  const sizes = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 17];

  it.each(sizes)('round-trips %i bytes, whole and streamed in odd pieces', async (size) => {
    const plain = randomBytes(size);
    const sealed = sealBuffer(key, plain);
    expect(sealed.length).toBe(sealedSize(size));
    expect(sealedLayout(sealed.length).plainBytes).toBe(size);
    expect((await open(sealed)).equals(plain)).toBe(true);

    const sealer = new ChunkSealer(key);
    const pieces = [sealer.header];
    for (let at = 0; at < size; at += 7_001)
      pieces.push(...sealer.push(plain.subarray(at, at + 7_001)));
    pieces.push(sealer.finish());
    expect((await open(Buffer.concat(pieces))).equals(plain)).toBe(true);
  });

  it('reads any range without the rest, across chunk boundaries', async () => {
    const plain = randomBytes(3 * CHUNK_BYTES + 100);
    const sealed = sealBuffer(key, plain);
    for (const [start, end] of [
      [0, 10],
      [CHUNK_BYTES - 5, CHUNK_BYTES + 5],
      [CHUNK_BYTES, 2 * CHUNK_BYTES],
      [2 * CHUNK_BYTES + 3, plain.length + 1000],
      [50, 50],
    ] as const) {
      expect((await open(sealed, start, end)).equals(plain.subarray(start, end))).toBe(true);
    }
  });

  it('holds no plaintext and differs each time the same bytes are sealed', () => {
    const plain = Buffer.from('Zyxwquartz^Patient '.repeat(5000));
    const a = sealBuffer(key, plain);
    const b = sealBuffer(key, plain);
    expect(a.includes('Zyxwquartz')).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a changed byte, a wrong key, a cut at a chunk boundary and swapped chunks', async () => {
    const plain = randomBytes(3 * CHUNK_BYTES);
    const sealed = sealBuffer(key, plain);
    const flipped = Buffer.from(sealed);
    flipped[HEADER_BYTES + 5] = flipped[HEADER_BYTES + 5]! ^ 1;
    await expect(open(flipped)).rejects.toThrow(/damaged.*chunk 0/);
    await expect(open(sealed, 0, undefined, randomBytes(32))).rejects.toThrow(/does not verify/);

    const chunk = CHUNK_BYTES + 16;
    const cut = sealed.subarray(0, HEADER_BYTES + 2 * chunk);
    await expect(open(cut)).rejects.toThrow(/chunk 1 does not verify/);

    const swapped = Buffer.concat([
      sealed.subarray(0, HEADER_BYTES),
      sealed.subarray(HEADER_BYTES + chunk, HEADER_BYTES + 2 * chunk),
      sealed.subarray(HEADER_BYTES, HEADER_BYTES + chunk),
      sealed.subarray(HEADER_BYTES + 2 * chunk),
    ]);
    await expect(open(swapped)).rejects.toThrow(/does not verify/);
    await expect(open(sealed.subarray(0, 10))).rejects.toThrow(/shorter than its header/);
  });
});
