import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DentalCase } from '../../src-shared/contract/dental.js';
import {
  makeAsciiStl,
  makeBinaryStl,
  makeNifti,
  TETRAHEDRON,
} from '../test-support/volume-fixtures.js';
import { parseCommandLine, UsageError } from './args.js';
import { ensureBuilt, runCliProcess } from './testing/run-cli.js';

let root: string;
let dataDir: string;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-dental-cli-'));
  dataDir = join(root, 'data');
  writeFileSync(join(root, 'upper.stl'), makeBinaryStl(TETRAHEDRON));
  writeFileSync(join(root, 'lower.stl'), makeAsciiStl('lower', TETRAHEDRON));
  writeFileSync(join(root, 'cbct.nii.gz'), makeNifti({ dims: [10, 8, 5], gzip: true }));
  writeFileSync(join(root, 'notes.stl'), 'these are not triangles');
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliProcess([...args, '--data-dir', dataDir]);

describe('neurosphere import --dental', () => {
  it('parses its options and refuses a call without a name or parts', () => {
    expect(
      parseCommandLine(['import', '--dental', '--name', 'A', '--upper', 'u.stl']),
    ).toMatchObject({ kind: 'import dental', name: 'A', upper: 'u.stl', lower: undefined });
    expect(() => parseCommandLine(['import', '--dental', '--upper', 'u.stl'])).toThrow(UsageError);
    expect(() => parseCommandLine(['import', '--dental', '--name', 'A'])).toThrow(/at least one/);
  });

  it('creates a case with both jaws and a CBCT, and waits for the CBCT import', async () => {
    const run = await cli(
      'import',
      '--dental',
      '--name',
      'CLI case',
      '--upper',
      join(root, 'upper.stl'),
      '--lower',
      join(root, 'lower.stl'),
      '--cbct',
      join(root, 'cbct.nii.gz'),
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const created = JSON.parse(run.stdout) as DentalCase;
    expect(created.upper).toMatchObject({ role: 'upper', format: 'binary', triangleCount: 4 });
    expect(created.lower).toMatchObject({ role: 'lower', format: 'ascii', triangleCount: 4 });
    expect(created.cbct).toMatchObject({ status: 'completed', scanId: expect.any(String) });
  }, 120_000);

  it('refuses a file that is not an STL, naming the jaw, with exit status 1', async () => {
    const run = await cli(
      'import',
      '--dental',
      '--name',
      'Bad',
      '--upper',
      join(root, 'notes.stl'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/upper jaw STL .*not a usable STL/);
  }, 120_000);
});
