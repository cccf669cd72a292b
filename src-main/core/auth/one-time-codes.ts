import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Secrets handed to a person once (invitation tokens and codes, connect codes). Only their
 * SHA-256 is stored: they are random (at least 50 bits), so a fast hash suffices, and the database
 * alone cannot be used to register or connect.
 */

/** No 0/O, 1/I/L or U: a code read out over the phone is typed back correctly. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A long token for a link or a program (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A short code to read out or type: groups of five, e.g. `K7QX2-MP9RD` (2 × 5 × log2(30) ≈ 49 bits). */
export function newShortCode(groups = 2): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g += 1) {
    let part = '';
    for (let i = 0; i < 5; i += 1) part += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** How a short code is compared: case, spaces and dashes ignored. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The stored hash of a short code (of its normalised form). */
export function hashCode(code: string): string {
  return hashSecret(`code:${normaliseCode(code)}`);
}
