#!/usr/bin/env node
// Runs every suite (build, typecheck, lint, format, unit, data, end-to-end) and prints one
// closing line `N passed, N failed, N skipped` summed over all of them. Static checks count
// as one test each, so a type error or lint failure shows in the total.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

function check(label, command, args) {
  const ok = run(label, command, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${label}: ${ok ? 'passed' : 'FAILED'}`);
  return ok;
}

/** Vitest's JSON report: numPassedTests etc. */
function countVitest(label, file, ranOk) {
  if (!existsSync(file)) {
    totals.failed += 1;
    lines.push(`${label}: no report (the runner crashed)`);
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // Failed suites (e.g. a file that does not load) count as failures too.
  const failedSuites = (r.testResults ?? []).filter(
    (t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0,
  ).length;
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += (r.numFailedTests ?? 0) + failedSuites;
  totals.skipped += skipped;
  if (!ranOk && (r.numFailedTests ?? 0) + failedSuites === 0) totals.failed += 1;
  lines.push(
    `${label}: ${r.numPassedTests} passed, ${(r.numFailedTests ?? 0) + failedSuites} failed, ${skipped} skipped`,
  );
}

/** Playwright's JSON report: stats.expected / unexpected / skipped / flaky. */
function countPlaywright(label, file, ranOk) {
  if (!existsSync(file)) {
    totals.failed += 1;
    lines.push(`${label}: no report (the runner crashed)`);
    return;
  }
  const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  const failed = s.unexpected ?? 0;
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += s.skipped ?? 0;
  if (!ranOk && failed === 0) totals.failed += 1;
  lines.push(`${label}: ${passed} passed, ${failed} failed, ${s.skipped ?? 0} skipped`);
}

const built = check('build', 'npm', ['run', 'build']);
check('typecheck', 'npm', ['run', 'typecheck']);
check('lint', 'npm', ['run', 'lint']);
check('format', 'npm', ['run', 'format:check']);

const unitFile = join(reports, 'unit.json');
const unitOk = run('unit tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitFile}`,
]);
countVitest('unit tests', unitFile, unitOk);

const dataFile = join(reports, 'data.json');
const dataOk = run('data suite (../shared/data)', 'npx', [
  'vitest',
  'run',
  '--config',
  'vitest.data.config.ts',
  '--passWithNoTests',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${dataFile}`,
]);
countVitest('data suite', dataFile, dataOk);

if (built) {
  const e2eFile = join(reports, 'e2e.json');
  const e2eOk = run(
    'end-to-end (Chromium)',
    'npx',
    ['playwright', 'test', '--config', 'e2e/playwright.config.ts'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eFile,
    },
  );
  countPlaywright('end-to-end', e2eFile, e2eOk);
} else {
  totals.failed += 1;
  lines.push('end-to-end: not run (build failed)');
}

console.log('\n=== Summary');
for (const line of lines) console.log(`  ${line}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
