import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectFiles } from './collect-files.js';

describe('collectFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-collect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recurses into folders, skips OS clutter and survives a symlink loop', async () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'one.dcm'), 'x');
    writeFileSync(join(dir, 'a', 'b', 'two.dcm'), 'x');
    writeFileSync(join(dir, 'a', '.DS_Store'), 'x');
    symlinkSync(dir, join(dir, 'a', 'b', 'loop'));
    const { files, problems } = await collectFiles([dir], { maxFiles: 100 });
    expect(files.map((f) => f.slice(dir.length))).toEqual(['/a/b/two.dcm', '/a/one.dcm']);
    expect(problems).toEqual([]);
  });

  it('reports a missing path instead of failing the whole import', async () => {
    const { files, problems } = await collectFiles([join(dir, 'nope')], { maxFiles: 100 });
    expect(files).toEqual([]);
    expect(problems[0]?.code).toBe('NOT_FOUND');
  });

  it('says that files beyond the limit were not imported instead of dropping them silently', async () => {
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.bin`), 'x');
    const { files, problems } = await collectFiles([dir], { maxFiles: 3 });
    expect(files).toHaveLength(3);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toMatch(/first 3 files/);
  });
});
