// Benchmarks start serve, the CLI or a core on throwaway data folders. Their audit key (see
// docs/audit.md) goes in a throwaway 0600 file outside those folders, unless the caller chose a
// key file, so a benchmark runs the same on a desktop with a keychain and on a headless box.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (process.env.NEUROSPHERE_AUDIT_KEY_FILE === undefined) {
  const folder = mkdtempSync(join(tmpdir(), 'ns-bench-audit-key-'));
  process.env.NEUROSPHERE_AUDIT_KEY_FILE = join(folder, 'audit.key');
}
