import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../src-shared/errors.js';

/** scrypt cost. N=2^16, r=8 uses 64 MiB per hash: memory-hard against GPU guessing. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export const PRODUCTION_KDF: KdfParams = { N: 1 << 16, r: 8, p: 1 };
/** Only for tests, where hundreds of hashes must be cheap. */
export const TEST_KDF: KdfParams = { N: 1 << 10, r: 8, p: 1 };

const KEY_LENGTH = 32;

/**
 * scrypt runs on libuv's thread pool (4 threads), which file reads and zlib share. Unbounded, a
 * flood of logins fills every thread for seconds and starves everything else; so at most
 * `HASH_CONCURRENCY` hashes run at once and a short queue waits for them. A flood beyond the
 * queue is refused at once rather than piling up.
 */
export const HASH_CONCURRENCY = 2;
export const HASH_QUEUE_LIMIT = 64;
let running = 0;
const waiting: Array<() => void> = [];

/** How many hashes run and wait now (for tests and diagnostics). */
export function hashLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) {
    if (waiting.length >= HASH_QUEUE_LIMIT)
      throw new AppError(
        'UNAUTHENTICATED',
        'The server is busy checking other logins. Wait a moment and try again.',
        { busy: true },
      );
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    // The slot passes straight to the next in line; only when none waits is it freed.
    if (next === undefined) running -= 1;
    else next();
  }
}

function derive(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  return withHashSlot(() => deriveNow(password, salt, params));
}

function deriveNow(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + (1 << 20) },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

/** Stored as `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string, params: KdfParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
