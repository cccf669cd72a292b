import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH, passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('correct horse battery', 'alice')).toEqual([]);
    expect(passwordProblems('Tumour board on Friday!', 'radiologist')).toEqual([]);
  });

  it('refuses short passwords and says how long they must be', () => {
    expect(passwordProblems('abc12', 'alice')).toEqual([
      `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has 5).`,
    ]);
  });

  it('refuses a password holding the username, whatever its case', () => {
    expect(passwordProblems('my name is ALICE ok', 'alice')).toEqual([
      'Do not use the username in the password.',
    ]);
  });

  it('refuses common passwords, ignoring case and spaces', () => {
    expect(passwordProblems('Password123', 'bob')[0]).toMatch(/commonly used/);
    expect(passwordProblems('Correct Horse Battery Staple', 'bob')[0]).toMatch(/commonly used/);
  });

  it('refuses repeated and sequential patterns', () => {
    expect(passwordProblems('aaaaaaaaaaaa', 'bob')[0]).toMatch(/repeated or sequential/);
    expect(passwordProblems('123456789012', 'bob')).toEqual([]); // wraps 9→0: not one run
    expect(passwordProblems('abcdefghijkl', 'bob')[0]).toMatch(/repeated or sequential/);
    expect(passwordProblems('9876543210', 'bob')[0]).toMatch(/repeated or sequential/);
  });
});
