import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../../src-shared/errors.js';

/**
 * The on-disk format of an encrypted blob: AES-256-GCM in 64 KiB chunks, so a range of a large
 * file (a frame of a multi-frame DICOM, a header) is read without decrypting the rest.
 *
 *   header (16 bytes): "NSBLOB1\0" · 8 random bytes (the file's nonce prefix)
 *   chunk i: ciphertext of up to 64 KiB · 16-byte tag
 *
 * Nonce of chunk i = prefix · uint32BE(i); its additional data = magic · uint32BE(i) · last-flag,
 * so chunks cannot be reordered, swapped between files, or the file cut at a chunk boundary
 * without the tag check failing. Only the last chunk may be short (an empty blob is one empty
 * chunk), which makes the plaintext size a function of the file size.
 */
export const CHUNK_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const MAGIC = Buffer.from('NSBLOB1\0', 'latin1');
export const HEADER_BYTES = MAGIC.length + 8;
const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;

function nonce(header: Uint8Array, index: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.set(header.subarray(MAGIC.length, HEADER_BYTES), 0);
  bytes.writeUInt32BE(index, 8);
  return bytes;
}

function additionalData(index: number, isLast: boolean): Buffer {
  const bytes = Buffer.alloc(MAGIC.length + 5);
  bytes.set(MAGIC, 0);
  bytes.writeUInt32BE(index, MAGIC.length);
  bytes[MAGIC.length + 4] = isLast ? 1 : 0;
  return bytes;
}

function sealChunk(key: Buffer, header: Buffer, index: number, plain: Uint8Array, isLast: boolean) {
  const cipher = createCipheriv('aes-256-gcm', key, nonce(header, index));
  cipher.setAAD(additionalData(index, isLast));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The size of the encrypted file of `plainBytes` bytes. */
export function sealedSize(plainBytes: number): number {
  const chunks = Math.max(1, Math.ceil(plainBytes / CHUNK_BYTES));
  return HEADER_BYTES + plainBytes + chunks * TAG_BYTES;
}

function damaged(what: string): AppError {
  return new AppError(
    'CORRUPT_FILE',
    `A stored file of the encrypted data folder is damaged (${what}): restore it from a backup.`,
  );
}

/** Chunk count and plaintext size of an encrypted file of `fileBytes` bytes. */
export function sealedLayout(fileBytes: number): { chunks: number; plainBytes: number } {
  const body = fileBytes - HEADER_BYTES;
  if (body < TAG_BYTES) throw damaged('it is shorter than its header');
  const chunks = Math.ceil(body / SEALED_CHUNK_BYTES);
  const last = body - (chunks - 1) * SEALED_CHUNK_BYTES;
  if (last < TAG_BYTES) throw damaged('its last chunk is cut short');
  return { chunks, plainBytes: body - chunks * TAG_BYTES };
}

/**
 * Encrypts a stream of plaintext into the chunked format. `push` returns the sealed bytes ready
 * to be written; the last chunk is held back until `finish`, which marks it as the last.
 */
export class ChunkSealer {
  readonly header: Buffer;
  private pending: Buffer = Buffer.alloc(0);
  private index = 0;

  constructor(private readonly key: Buffer) {
    this.header = Buffer.concat([MAGIC, randomBytes(8)]);
  }

  push(plain: Uint8Array): Buffer[] {
    this.pending =
      this.pending.length === 0 ? Buffer.from(plain) : Buffer.concat([this.pending, plain]);
    const out: Buffer[] = [];
    let offset = 0;
    // Strictly more than a chunk left: the chunk being sealed is certainly not the last.
    while (this.pending.length - offset > CHUNK_BYTES) {
      const chunk = this.pending.subarray(offset, offset + CHUNK_BYTES);
      out.push(sealChunk(this.key, this.header, this.index++, chunk, false));
      offset += CHUNK_BYTES;
    }
    this.pending = Buffer.from(this.pending.subarray(offset));
    return out;
  }

  finish(): Buffer {
    return sealChunk(this.key, this.header, this.index++, this.pending, true);
  }
}

/** The whole sealed file of `plain`, header included. */
export function sealBuffer(key: Buffer, plain: Uint8Array): Buffer {
  const sealer = new ChunkSealer(key);
  return Buffer.concat([sealer.header, ...sealer.push(plain), sealer.finish()]);
}

/** Reads `length` bytes at `position` of the sealed file (a file handle or an fd-like reader). */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/**
 * Decrypts the plaintext bytes [start, end) of a sealed file of `fileBytes` bytes, reading only
 * the chunks they lie in. Throws CORRUPT_FILE when a chunk's tag does not verify (a changed file,
 * or a file of another data folder).
 */
export async function* openRange(
  key: Buffer,
  readAt: ReadAt,
  fileBytes: number,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): AsyncGenerator<Buffer> {
  const { chunks, plainBytes } = sealedLayout(fileBytes);
  const to = Math.min(end, plainBytes);
  if (start >= to && !(plainBytes === 0 && start === 0)) return;
  const header = await readAt(0, HEADER_BYTES);
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged('it has no blob header');
  const first = Math.floor(start / CHUNK_BYTES);
  const last = plainBytes === 0 ? 0 : Math.floor((to - 1) / CHUNK_BYTES);
  for (let index = first; index <= last; index++) {
    const position = HEADER_BYTES + index * SEALED_CHUNK_BYTES;
    const sealed = await readAt(position, Math.min(SEALED_CHUNK_BYTES, fileBytes - position));
    const isLast = index === chunks - 1;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(header, index));
    decipher.setAAD(additionalData(index, isLast));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw damaged(`chunk ${index} does not verify with this data folder's key`);
    }
    const from = index === first ? start - index * CHUNK_BYTES : 0;
    const until = index === last ? to - index * CHUNK_BYTES : plain.length;
    if (from < until) yield plain.subarray(from, until);
  }
}
