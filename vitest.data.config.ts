import { defineConfig } from 'vitest/config';

// The extra suite over ../shared/data: real public files, not available on every machine.
export default defineConfig({
  test: {
    include: ['src-main/**/*.data.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    // A private gnome-keyring for the audit key (docs/audit.md).
    globalSetup: ['src-main/test-support/keyring-global-setup.ts'],
  },
});
