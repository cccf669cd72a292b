import { describe, expect, it } from 'vitest';
import {
  HASH_CONCURRENCY,
  HASH_QUEUE_LIMIT,
  hashLoad,
  hashPassword,
  TEST_KDF,
  verifyPassword,
} from './password-hasher.js';

describe('password hasher', () => {
  it('stores scrypt$N$r$p$salt$hash with a random salt', async () => {
    const a = await hashPassword('correct horse battery', TEST_KDF);
    const b = await hashPassword('correct horse battery', TEST_KDF);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery', TEST_KDF);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('reads the cost from the stored hash, so raising the cost keeps old hashes valid', async () => {
    const stored = await hashPassword('pw-older-cost', { N: 1 << 11, r: 8, p: 1 });
    expect(stored.startsWith('scrypt$2048$8$1$')).toBe(true);
    expect(await verifyPassword('pw-older-cost', stored)).toBe(true);
  });

  it('treats equivalent Unicode forms of a password as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-pass', TEST_KDF);
    expect(await verifyPassword('cafe\u0301-pass', stored)).toBe(true);
  });

  it('rejects stored values that are not scrypt hashes', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });

  it('runs at most HASH_CONCURRENCY hashes at once and queues the rest', async () => {
    const seen: number[] = [];
    const sampler = setInterval(() => seen.push(hashLoad().running), 1);
    const all = Array.from({ length: 12 }, (_, i) => hashPassword(`password ${i}`, TEST_KDF));
    expect(hashLoad()).toEqual({ running: HASH_CONCURRENCY, waiting: 12 - HASH_CONCURRENCY });
    const hashes = await Promise.all(all);
    clearInterval(sampler);
    expect(new Set(hashes).size).toBe(12);
    expect(Math.max(...seen)).toBeLessThanOrEqual(HASH_CONCURRENCY);
    expect(hashLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once, with a clear message, a flood beyond the queue', async () => {
    const flood = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE_LIMIT + 3 }, (_, i) =>
      hashPassword(`password ${i}`, TEST_KDF).then(
        () => 'hashed',
        (error: Error) => error.message,
      ),
    );
    const outcomes = await Promise.all(flood);
    expect(outcomes.filter((o) => o === 'hashed')).toHaveLength(
      HASH_CONCURRENCY + HASH_QUEUE_LIMIT,
    );
    expect(outcomes.filter((o) => o !== 'hashed')).toEqual(
      Array(3).fill('The server is busy checking other logins. Wait a moment and try again.'),
    );
  });
});
