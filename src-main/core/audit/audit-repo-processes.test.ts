import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createAuditRepo } from './audit-repo.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

const APPENDS = 300;
const auditRepoUrl = new URL('./audit-repo.ts', import.meta.url).href;
const connectionUrl = new URL('../db/connection.ts', import.meta.url).href;

/** Another Neurosphere process (e.g. the CLI next to the desktop app) writing to the same log. */
function appendFromAnotherProcess(file: string, actor: string): Promise<void> {
  // Node runs the TypeScript sources as they are; their imports name the .js they compile to,
  // so a resolve hook falls back to the .ts source beside it.
  const script = `
    const { registerHooks } = await import('node:module');
    registerHooks({ resolve(specifier, context, next) {
      try { return next(specifier, context); } catch (error) {
        if (!specifier.endsWith('.js')) throw error;
        return next(specifier.slice(0, -3) + '.ts', context);
      }
    } });
    const { openDatabase } = await import(${JSON.stringify(connectionUrl)});
    const { createAuditRepo } = await import(${JSON.stringify(auditRepoUrl)});
    const db = openDatabase(process.argv[1]);
    const key = { bytes: Buffer.alloc(32, 7), isNew: true, source: 'test key' };
    const audit = createAuditRepo(db, key);
    for (let i = 0; i < ${APPENDS}; i++)
      audit.append({ at: new Date().toISOString(), actor: process.argv[2], action: 'patients.read', target: String(i) });
    db.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, actor], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

describe('audit log written by two processes at once', () => {
  let t: TempDb;
  beforeEach(() => {
    t = openTempDb();
  });
  afterEach(() => t.dispose());

  it('keeps one unbroken chain', async () => {
    await Promise.all([
      appendFromAnotherProcess(t.file, 'app'),
      appendFromAnotherProcess(t.file, 'cli'),
    ]);
    const audit = createAuditRepo(t.db, TEST_AUDIT_KEY);
    expect(audit.list(10_000)).toHaveLength(2 * APPENDS);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 2 * APPENDS, issues: [] });
  });
});
