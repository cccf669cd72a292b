import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRows } from '../../test-support/temp-db.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { csvField } from './measurements-csv.js';

/** Splits CSV text (RFC 4180, quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('measurements (real SQLite through the router)', () => {
  let t: TestCore;
  let token: string;
  let ctScanId: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    // A CT of 3 slices, 0.5 × 0.5 mm pixels, 2 mm apart; stored 1064 with intercept −1024 = 40 HU,
    // except a 200 HU square in the middle of slice 2.
    const paths = writeDicomSeries(join(t.inputDir, 'ct'), 3, {
      modality: 'CT',
      rows: 32,
      columns: 32,
      pixelSpacing: [0.5, 0.5],
      spacingZ: 2,
      seriesDescription: 'HEAD, NON-CONTRAST',
      extraAttributes: { RescaleIntercept: '-1024', RescaleSlope: '1' },
      pixel: (r, c) => (r >= 8 && r < 24 && c >= 8 && c < 24 ? 1224 : 1064),
    });
    ctScanId = await importScan(t, token, paths);
  });
  afterEach(() => t.dispose());

  it('creates, lists, updates and deletes, each change audited and in the outbox', async () => {
    const length = await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 1,
        kind: 'length',
        points: [
          { x: 0.5, y: 0.5 },
          { x: 6.5, y: 8.5 },
        ],
        label: 'midline shift',
      },
      token,
    );
    // 6 × 0.5 mm by 8 × 0.5 mm: 3-4-5, so 5 mm.
    expect(length.values).toEqual([{ name: 'length', value: 5, unit: 'mm' }]);
    expect(length.author).toBe('admin');
    // Pixel centre (0, 0) of slice 1 (2 mm up): patient (0, 0, 2).
    expect(length.patientPoints?.[0]).toEqual([0, 0, 2]);
    expect(length.patientPoints?.[1]).toEqual([3, 4, 2]);

    const ellipse = await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 1,
        kind: 'ellipse',
        points: [
          { x: 10, y: 10 },
          { x: 22, y: 22 },
        ],
      },
      token,
    );
    const value = (name: string) => ellipse.values.find((v) => v.name === name);
    expect(value('mean')).toMatchObject({ value: 200, unit: 'HU' });
    expect(value('sd')).toMatchObject({ value: 0, unit: 'HU' });
    expect(value('area')?.unit).toBe('mm²');
    expect(value('area')?.value).toBeCloseTo(Math.PI * 3 * 3, 6);

    const angle = await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 0,
        kind: 'angle',
        points: [
          { x: 10, y: 0 },
          { x: 0, y: 0 },
          { x: 0, y: 10 },
        ],
      },
      token,
    );
    expect(angle.values[0]).toMatchObject({ name: 'angle', unit: '°' });
    expect(angle.values[0]?.value).toBeCloseTo(90, 9);
    const arrow = await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 2,
        kind: 'arrow',
        points: [
          { x: 1, y: 1 },
          { x: 5, y: 5 },
        ],
        label: 'enhancing rim',
      },
      token,
    );
    expect(arrow.values).toEqual([]);

    const listed = await t.ok('measurements.list', { scanId: ctScanId }, token);
    expect(listed.map((m) => [m.frame, m.kind])).toEqual([
      [0, 'angle'],
      [1, 'length'],
      [1, 'ellipse'],
      [2, 'arrow'],
    ]);

    t.clock.advance(60_000);
    const moved = await t.ok(
      'measurements.update',
      {
        id: length.id,
        points: [
          { x: 0.5, y: 0.5 },
          { x: 12.5, y: 16.5 },
        ],
        label: 'shift',
      },
      token,
    );
    expect(moved.values[0]?.value).toBe(10);
    expect(moved.label).toBe('shift');
    expect(moved.updatedAt > moved.createdAt).toBe(true);
    // A new label alone keeps the values.
    const relabelled = await t.ok('measurements.update', { id: moved.id, label: '' }, token);
    expect(relabelled.values[0]?.value).toBe(10);

    expect(await t.ok('measurements.delete', { id: arrow.id }, token)).toEqual({ deleted: true });
    expect((await t.ok('measurements.list', { scanId: ctScanId }, token)).length).toBe(3);
    expect(await t.fail('measurements.delete', { id: arrow.id }, token)).toMatchObject({
      code: 'NOT_FOUND',
    });

    const actions = t.core.audit
      .list(100)
      .filter((e) => e.action.startsWith('measurements.'))
      .map((e) => e.action)
      .reverse();
    expect(actions.filter((a) => a === 'measurements.create')).toHaveLength(4);
    expect(actions.filter((a) => a === 'measurements.update')).toHaveLength(2);
    expect(actions.filter((a) => a === 'measurements.delete')).toHaveLength(1);
    expect(t.core.audit.verify().issues).toEqual([]);
    const outbox = t.core.db
      .prepare("SELECT op FROM outbox WHERE entity = 'measurement' ORDER BY outbox.id")
      .all() as { op: string }[];
    expect(outbox.map((o) => o.op)).toEqual([
      'create',
      'create',
      'create',
      'create',
      'update',
      'update',
      'delete',
    ]);
  });

  it('refuses bad input with a message that says what is wrong', async () => {
    const tooFew = await t.fail(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 0,
        kind: 'angle',
        points: [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
      },
      token,
    );
    expect(tooFew.code).toBe('INVALID_INPUT');
    expect(tooFew.message).toMatch(/angle 3/);
    const noSlice = await t.fail(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 3,
        kind: 'length',
        points: [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
        ],
      },
      token,
    );
    expect(noSlice.message).toMatch(/3 slices; slice 4 does not exist/);
    const noScan = await t.fail(
      'measurements.list',
      { scanId: '0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e' },
      token,
    );
    expect(noScan.code).toBe('NOT_FOUND');
  });

  it('lets only the author or an admin change a measurement; viewers only read', async () => {
    const reader = await addUser(t, token, 'reader', 'radiologist');
    const other = await addUser(t, token, 'other', 'radiologist');
    const viewer = await addUser(t, token, 'looker', 'viewer');
    const points = [
      { x: 1, y: 1 },
      { x: 3, y: 1 },
    ];
    const mine = await t.ok(
      'measurements.create',
      { scanId: ctScanId, frame: 0, kind: 'length', points },
      reader.token,
    );
    expect(mine.author).toBe('reader');
    const denied = await t.fail('measurements.delete', { id: mine.id }, other.token);
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect(denied.message).toMatch(/drawn by reader/);
    expect(
      (
        await t.fail(
          'measurements.create',
          { scanId: ctScanId, frame: 0, kind: 'length', points },
          viewer.token,
        )
      ).code,
    ).toBe('PERMISSION_DENIED');
    expect((await t.ok('measurements.list', { scanId: ctScanId }, viewer.token)).length).toBe(1);
    expect(await t.ok('measurements.delete', { id: mine.id }, token)).toEqual({ deleted: true });
  });

  it('exports CSV with units in the header and quoted text, audited as an export', async () => {
    await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 1,
        kind: 'ellipse',
        points: [
          { x: 10, y: 10 },
          { x: 22, y: 22 },
        ],
        label: 'lesion, "A"\nsecond line',
      },
      token,
    );
    await t.ok(
      'measurements.create',
      {
        scanId: ctScanId,
        frame: 0,
        kind: 'length',
        points: [
          { x: 0.5, y: 0.5 },
          { x: 6.5, y: 8.5 },
        ],
        label: '=HYPERLINK("x")',
      },
      token,
    );
    const result = await t.core.router.stream(
      'measurements.csv',
      { scanId: ctScanId },
      { transport: 'test', token },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.description).toEqual({
      fileName: 'HEAD, NON-CONTRAST_measurements.csv',
      count: 2,
    });
    const text = new TextDecoder().decode(result.value.data as Uint8Array);
    const rows = parseCsv(text);
    const header = rows[0]!;
    expect(header).toContain('length (mm)');
    expect(header).toContain('area (mm²)');
    expect(header).toContain('mean (HU)');
    const column = (name: string) => header.indexOf(name);
    expect(rows).toHaveLength(3);
    const [lengthRow, ellipseRow] = [rows[1]!, rows[2]!];
    expect(lengthRow[column('slice')]).toBe('1');
    expect(lengthRow[column('length (mm)')]).toBe('5');
    expect(lengthRow[column('label')]).toBe('\'=HYPERLINK("x")');
    expect(lengthRow[column('patient points (L P S; mm)')]).toBe('0 0 0; 3 4 0');
    expect(ellipseRow[column('slice')]).toBe('2');
    expect(ellipseRow[column('label')]).toBe('lesion, "A"\nsecond line');
    expect(ellipseRow[column('mean (HU)')]).toBe('200');
    expect(ellipseRow[column('author')]).toBe('admin');
    expect(t.core.audit.list(5).map((e) => e.action)).toContain('measurements.export');
  });

  it('says px and a.u. for a picture without pixel size, and cascades with the scan', async () => {
    const png = join(t.inputDir, 'slice.png');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      png,
      makePng(20, 10, (x) => x * 10),
    );
    const pictureId = await importScan(t, token, [png]);
    const saved = await t.ok(
      'measurements.create',
      {
        scanId: pictureId,
        frame: 0,
        kind: 'ellipse',
        points: [
          { x: 0, y: 0 },
          { x: 20, y: 10 },
        ],
      },
      token,
    );
    expect(saved.values.find((v) => v.name === 'area')?.unit).toBe('px²');
    expect(saved.values.find((v) => v.name === 'mean')?.unit).toBe('a.u.');
    expect(saved.patientPoints).toBeNull();
    const result = await t.core.router.stream(
      'measurements.csv',
      { scanId: pictureId },
      { transport: 'test', token },
    );
    if (!result.ok) throw new Error(result.error.message);
    const header = parseCsv(new TextDecoder().decode(result.value.data as Uint8Array))[0]!;
    expect(header).toContain('length (px)');
    expect(header).toContain('mean (a.u.)');
    await t.ok('scans.delete', { id: pictureId }, token);
    expect(countRows(t.core.db, 'measurements')).toBe(0);
  });
});

describe('csvField', () => {
  it('quotes commas, quotes, line breaks and edge spaces, and defuses formulas in text', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('-3', true)).toBe("'-3");
    expect(csvField(-3.25)).toBe('-3.25');
    expect(csvField(1 / 3)).toBe('0.333');
    expect(csvField(null)).toBe('');
  });
});
