import { randomBytes } from 'node:crypto';
import { AppError } from '../../../src-shared/errors.js';

/** RFC 4648 base32: no 0/1/8/9, so a handwritten key is not misread. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const KEY_BYTES = 32;
/** 32 bytes = 256 bits = 52 base32 characters (the last carries 1 bit), shown as 13 groups of 4. */
const KEY_CHARS = 52;

export function encodeRecoveryKey(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return text.match(/.{1,4}/g)!.join('-');
}

export function newRecoveryKey(): { bytes: Buffer; text: string } {
  const bytes = randomBytes(KEY_BYTES);
  return { bytes, text: encodeRecoveryKey(bytes) };
}

/** Reads a recovery key as typed: case, spaces and dashes do not matter; O/0, I/1, B/8 are forgiven. */
export function parseRecoveryKey(typed: string): Buffer {
  const text = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/0/g, 'O')
    .replace(/1/g, 'I')
    .replace(/8/g, 'B');
  const invalid = [...text].find((c) => !ALPHABET.includes(c));
  if (text.length !== KEY_CHARS || invalid !== undefined) {
    throw new AppError(
      'INVALID_INPUT',
      invalid !== undefined
        ? `A recovery key has only the letters A–Z and the digits 2–7; "${invalid}" is not one of them.`
        : `A recovery key has ${KEY_CHARS} characters (13 groups of 4); this one has ${text.length}.`,
    );
  }
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of text) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes.slice(0, KEY_BYTES));
}
