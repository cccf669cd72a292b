import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src-shared/errors.js';
import { IMPLICIT_LE, makeDicom } from '../../test-support/dicom-fixtures.js';
import { hasTool } from '../../test-support/shared-data.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { parseDicom } from './dicom/parse-dicom.js';
import { createImagingClient } from './imaging-client.js';

/** A small deterministic generator so a failing case can be reproduced from its number. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ElementAt {
  tag: number;
  /** Offset of the element's tag; the length field follows at +4 (implicit) or +6/+8 (explicit). */
  at: number;
  lengthAt: number;
  lengthBytes: 2 | 4;
  vrAt: number | null;
}

/** Where each top-level element of a valid file starts, for targeted damage. */
function elementsOf(file: Buffer): ElementAt[] {
  const ds = parseDicom(file).dataSet;
  const out: ElementAt[] = [];
  for (const [key, element] of Object.entries(ds.elements)) {
    const tag = Number.parseInt(key.slice(1), 16);
    const group = tag >>> 16;
    const matches = (at: number) =>
      at >= 0 && file.readUInt16LE(at) === group && file.readUInt16LE(at + 2) === (tag & 0xffff);
    const d = element.dataOffset;
    if (matches(d - 12))
      out.push({ tag, at: d - 12, lengthAt: d - 4, lengthBytes: 4, vrAt: d - 8 });
    else if (matches(d - 8)) {
      const hasVr = /^[A-Z]{2}$/.test(file.toString('latin1', d - 4, d - 2));
      out.push(
        hasVr
          ? { tag, at: d - 8, lengthAt: d - 2, lengthBytes: 2, vrAt: d - 4 }
          : { tag, at: d - 8, lengthAt: d - 4, lengthBytes: 4, vrAt: null },
      );
    }
  }
  return out;
}

const BOGUS_LENGTHS = [0xffffffff, 0x7fffffff, 0xfffffffe, 0x10000, 3, 0, 1_000_000_001];
const WRONG_VRS = ['SQ', 'OB', 'UN', 'XX', 'US', 'FD', 'AT', 'UT'];
const ROWS = 0x00280010;
const COLUMNS = 0x00280011;

type Mutation = (file: Buffer, rnd: () => number, elements: ElementAt[]) => Buffer;

const pick = <T>(items: readonly T[], rnd: () => number): T =>
  items[Math.floor(rnd() * items.length)]!;

const MUTATIONS: Record<string, Mutation> = {
  truncation: (file, rnd) => file.subarray(0, Math.floor(rnd() * file.length)),
  'bit flips': (file, rnd) => {
    const out = Buffer.from(file);
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++)
      out[Math.floor(rnd() * out.length)]! ^= 1 << Math.floor(rnd() * 8);
    return out;
  },
  'bogus length': (file, rnd, elements) => {
    const out = Buffer.from(file);
    const element = pick(elements, rnd);
    const value = pick(BOGUS_LENGTHS, rnd);
    if (element.lengthBytes === 2) out.writeUInt16LE(value & 0xffff, element.lengthAt);
    else out.writeUInt32LE(value >>> 0, element.lengthAt);
    return out;
  },
  'wrong VR': (file, rnd, elements) => {
    const out = Buffer.from(file);
    const withVr = elements.filter((e) => e.vrAt !== null);
    if (withVr.length === 0) return MUTATIONS['bit flips']!(file, rnd, elements);
    out.write(pick(WRONG_VRS, rnd), pick(withVr, rnd).vrAt!, 'latin1');
    return out;
  },
  'huge dimensions': (file, rnd, elements) => {
    const out = Buffer.from(file);
    for (const element of elements.filter((e) => e.tag === ROWS || e.tag === COLUMNS)) {
      const valueAt = element.lengthAt + element.lengthBytes;
      out.writeUInt16LE(rnd() < 0.5 ? 65535 : Math.floor(rnd() * 65536), valueAt);
    }
    return out;
  },
};

/**
 * The same small image compressed by dcmtk (installed by scripts/install.sh): damaged
 * codestreams must reach every decoder — 12-bit JPEG, JPEG lossless, JPEG-LS and RLE — and still
 * come back as reasons, never as a crash or a hang.
 */
function compressedBases(): Record<string, Buffer> {
  if (!hasTool('dcmcjpeg')) return {};
  const dir = mkdtempSync(join(tmpdir(), 'ns-fuzz-bases-'));
  try {
    const source = join(dir, 'source.dcm');
    writeFileSync(
      source,
      makeDicom({ rows: 24, columns: 20, pixel: (r, c) => (r * 150 + c * 37) % 4096 }),
    );
    const encoders: Record<string, string[]> = {
      '12-bit JPEG extended': ['dcmcjpeg', '+ee'],
      'JPEG lossless': ['dcmcjpeg', '+e1'],
      'JPEG-LS': ['dcmcjpls'],
      RLE: ['dcmcrle'],
    };
    return Object.fromEntries(
      Object.entries(encoders).map(([name, [tool, ...args]], i) => {
        const out = join(dir, `${i}.dcm`);
        execFileSync(tool!, [...args, source, out]);
        return [name, readFileSync(out)];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BASES: Record<string, Buffer> = {
  'explicit 16-bit': makeDicom({ rows: 24, columns: 20 }),
  'implicit 16-bit': makeDicom({ transferSyntaxUid: IMPLICIT_LE, rows: 16, columns: 16 }),
  'explicit 8-bit': makeDicom({ bitsAllocated: 8, rows: 16, columns: 12 }),
  'no preamble': makeDicom({ withoutPreamble: true, rows: 8, columns: 8 }),
  ...compressedBases(),
};

const CASES_PER_MUTATION_AND_BASE = 300;
const ALLOWED = new Set(['CORRUPT_FILE', 'UNSUPPORTED_FORMAT', 'FILE_TOO_LARGE']);

describe('fuzzing the DICOM reader with damaged files', () => {
  const dir = makeTempDir('ns-fuzz-');
  const imaging = createImagingClient({
    workers: 2,
    taskTimeoutMs: 10_000,
    maxHeapMb: 256,
    maxFileBytes: 10_000_000,
    maxDecodedBytes: 64 * 1024 * 1024,
  });
  afterAll(async () => {
    await imaging.close();
    removeTempDir(dir);
  });

  it(`never crashes or hangs and reports every failure (${Object.keys(BASES).length * Object.keys(MUTATIONS).length * CASES_PER_MUTATION_AND_BASE} cases)`, async () => {
    const tally = { imported: 0, rejected: 0, framesDecoded: 0 };
    const problems: string[] = [];
    const byCode = new Map<string, number>();
    let caseNumber = 0;
    const cases: Array<{ name: string; path: string }> = [];
    for (const [baseName, base] of Object.entries(BASES)) {
      const elements = elementsOf(base);
      for (const [mutationName, mutate] of Object.entries(MUTATIONS)) {
        for (let i = 0; i < CASES_PER_MUTATION_AND_BASE; i++) {
          caseNumber++;
          const rnd = random(caseNumber);
          const path = join(dir, `case-${caseNumber}.dcm`);
          const mutated = mutate(base, rnd, elements);
          writeFileSync(path, mutated.length === 0 ? Buffer.from([0]) : mutated);
          cases.push({ name: `#${caseNumber} ${baseName}, ${mutationName}`, path });
        }
      }
    }
    const judge = (name: string, error: unknown): void => {
      if (!isAppError(error)) {
        problems.push(`${name}: threw a non-AppError ${String(error)}`);
        return;
      }
      byCode.set(error.code, (byCode.get(error.code) ?? 0) + 1);
      if (error.details?.['failure'] !== undefined) problems.push(`${name}: ${error.message}`);
      else if (!ALLOWED.has(error.code)) problems.push(`${name}: ${error.code} ${error.message}`);
      else if (error.message.length < 15)
        problems.push(`${name}: reason too vague: ${error.message}`);
    };
    await Promise.all(
      cases.map(async ({ name, path }) => {
        try {
          const inspection = await imaging.inspect(path);
          if (inspection.kind !== 'dicom') return;
          tally.imported++;
          for (let frame = 0; frame < Math.min(inspection.header.frames, 4); frame++) {
            await imaging.decodeDicomFrame(path, frame);
            tally.framesDecoded++;
          }
        } catch (error) {
          tally.rejected++;
          judge(name, error);
        }
      }),
    );
    console.info(
      `[fuzz] ${cases.length} cases: ${tally.imported} still readable (${tally.framesDecoded} frames decoded), ` +
        `${tally.rejected} refused: ${JSON.stringify(Object.fromEntries(byCode))}`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect(tally.rejected).toBeGreaterThan(cases.length / 4);
  }, 120_000);
});
