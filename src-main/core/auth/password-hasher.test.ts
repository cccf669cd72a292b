import { describe, expect, it } from 'vitest';
import { hashPassword, TEST_KDF, verifyPassword } from './password-hasher.js';

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
});
