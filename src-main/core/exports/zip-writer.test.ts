import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { createZip } from './zip-writer.js';

const PYTHON = '/usr/bin/python3';
const hasUnzip = existsSync('/usr/bin/unzip');

/** Lists and reads an archive with Python's zipfile, which checks every entry's CRC-32. */
function readWithPython(path: string): { names: string[]; methods: number[]; contents: string[] } {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None, "bad CRC"',
    'infos = z.infolist()',
    'print(json.dumps({"names": [i.filename for i in infos], "methods": [i.compress_type for i in infos],',
    '  "contents": [z.read(i).hex() for i in infos]}))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
  return JSON.parse(out) as { names: string[]; methods: number[]; contents: string[] };
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('createZip, read back by independent tools', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'neurosphere-zip-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const text = Buffer.from('{"tumorDetected": true}\n'.repeat(200));
  // Random bytes do not deflate: the writer must store them.
  const noise = randomBytes(3000);
  const entries = [
    { name: 'brain_results.json', bytes: text },
    { name: 'brain_mask.nii.gz', bytes: noise },
    { name: 'empty.txt', bytes: new Uint8Array(0) },
    { name: 'lésion_überblick.png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  ];

  function write(): string {
    const path = join(dir, 'bundle.zip');
    writeFileSync(path, createZip(entries, new Date('2024-03-01T08:15:30.000Z')));
    return path;
  }

  it('deflates what shrinks, stores what does not, with correct CRCs (Python zipfile)', () => {
    const read = readWithPython(write());
    expect(read.names).toEqual(entries.map((entry) => entry.name));
    // 8 = deflate, 0 = store: random bytes and tiny files do not shrink.
    expect(read.methods).toEqual([8, 0, 0, 0]);
    expect(read.contents).toEqual(entries.map((entry) => Buffer.from(entry.bytes).toString('hex')));
  });

  it.runIf(hasUnzip)('is listed and extracted by Info-ZIP unzip, with its time', () => {
    const path = write();
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' });
    // Names are UTF-8 (flag bit 11); unzip prints them in the locale's charset, so only ASCII here.
    for (const name of ['brain_results.json', 'brain_mask.nii.gz', 'empty.txt'])
      expect(listing).toContain(name);
    expect(listing).toMatch(/4 files/);
    expect(listing).toMatch(/2024-03-01 08:15|03-01-2024 08:15/);
    expect(execFileSync('unzip', ['-p', path, 'brain_results.json'])).toEqual(text);
    expect(execFileSync('unzip', ['-p', path, 'brain_mask.nii.gz'])).toEqual(noise);
    // -t tests every entry's CRC and exits non-zero on a mismatch.
    expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toMatch(/No errors/);
  });

  it('gives the same bytes for the same inputs', () => {
    const at = new Date('2024-03-01T08:15:30.000Z');
    expect(createZip(entries, at).equals(createZip(entries, at))).toBe(true);
  });

  it('refuses names with folders, clashing names and unsafe characters', () => {
    const at = new Date();
    const one = (name: string) => [{ name, bytes: new Uint8Array(1) }];
    expect(() => createZip(one('../evil.png'), at)).toThrow(/not a plain file name/);
    expect(() => createZip(one('a:b.png'), at)).toThrow(/not a plain file name/);
    expect(() => createZip(one(''), at)).toThrow(/not a plain file name/);
    expect(() => createZip([...one('A.png'), ...one('a.png')], at)).toThrow(/two entries/);
  });
});
