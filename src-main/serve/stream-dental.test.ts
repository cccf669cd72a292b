import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DentalCaption,
  DentalCase,
  DentalFolder,
  DentalRegistryFile,
} from '../../src-shared/contract/dental.js';
import type { Health, Page } from '../../src-shared/contract/entities.js';
import {
  makeAsciiStl,
  makeBinaryStl,
  makeNifti,
  TETRAHEDRON,
} from '../test-support/volume-fixtures.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';
import { setupAdmin, startTestCore, type TestCore } from '../test-support/test-core.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

// A real server and core: dental cases over RPC, their files over the `dental.file` stream.
describe('dental cases over HTTP (issue 19)', () => {
  let ctx: TestServer;
  let token: string;
  let upper: Buffer;
  let lower: Buffer;
  let cbct: Buffer;
  const paths = { upper: '', lower: '', cbct: '', bad: '', empty: '' };

  beforeAll(async () => {
    ctx = await startTestServer();
    token = await setUpAdmin(ctx.server);
    // A generated pair: the upper jaw binary, the lower ASCII (two triangles), and a small CBCT.
    upper = makeBinaryStl(TETRAHEDRON);
    lower = Buffer.from(makeAsciiStl('lower jaw', TETRAHEDRON.slice(0, 2)));
    cbct = makeNifti({ dims: [12, 10, 6], voxel: (i, j, k) => (i * j + k) % 1200 });
    paths.upper = join(ctx.root, 'upper.stl');
    paths.lower = join(ctx.root, 'lower.stl');
    paths.cbct = join(ctx.root, 'cbct.nii');
    paths.bad = join(ctx.root, 'bad.stl');
    paths.empty = join(ctx.root, 'empty.stl');
    writeFileSync(paths.upper, upper);
    writeFileSync(paths.lower, lower);
    writeFileSync(paths.cbct, cbct);
    // A binary header claiming 1,000 triangles over bytes for one: truncated.
    const truncated = makeBinaryStl(TETRAHEDRON.slice(0, 1));
    truncated.writeUInt32LE(1000, 80);
    writeFileSync(paths.bad, truncated);
    writeFileSync(paths.empty, '');
    // Over HTTP, dental.cases.create reads only folders an administrator allowed.
    valueOf(await rpc(ctx.server, 'importRoots.set', { roots: [ctx.root] }, token));
  });
  afterAll(() => ctx.cleanup());

  const call = <T>(method: string, input: unknown) =>
    rpc(ctx.server, method, input, token).then((r) => valueOf<T>(r));
  const download = (fileId: string) =>
    fetch(streamUrl(ctx.server, 'dental.file', { fileId }), {
      headers: { Authorization: `Bearer ${token}` },
    });

  it('refuses server paths outside the allowed folders over HTTP, as import.files does', async () => {
    const refused = await rpc(
      ctx.server,
      'dental.cases.create',
      { name: 'Outside', upperStl: '/etc/hostname' },
      token,
    );
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/allowed|not in/i);
  });

  it('creates a case with both STLs (roles recorded) and a CBCT imported as a job', async () => {
    const folder = await call<DentalFolder>('dental.folders.create', { name: 'Orthodontics' });
    const created = await call<DentalCase>('dental.cases.create', {
      name: 'Patient 001 scan',
      folderId: folder.id,
      upperStl: paths.upper,
      lowerStl: paths.lower,
      cbct: paths.cbct,
    });
    expect(created.upper).toMatchObject({
      role: 'upper',
      fileName: 'upper.stl',
      format: 'binary',
      triangleCount: TETRAHEDRON.length,
      size: upper.byteLength,
      sha256: sha256(upper),
    });
    expect(created.lower).toMatchObject({ role: 'lower', format: 'ascii', triangleCount: 2 });
    expect(created.folderName).toBe('Orthodontics');
    expect(created.cbct?.jobId).toEqual(expect.any(String));

    const job = await ctx.server.core.jobs.whenFinished(created.cbct!.jobId);
    expect(job.status).toBe('completed');
    const after = await call<DentalCase>('dental.cases.get', { id: created.id });
    expect(after.cbct).toMatchObject({ status: 'completed', scanId: expect.any(String) });
    // The CBCT is an ordinary scan: the viewer opens it.
    const scan = await call<{ scan: { id: string } }>('scans.get', { id: after.cbct!.scanId });
    expect(scan.scan.id).toBe(after.cbct!.scanId);

    // Registry: three files; filters by type and case; paging.
    const all = await call<Page<DentalRegistryFile>>('dental.files.list', { caseId: created.id });
    expect(all.total).toBe(3);
    expect(all.items.map((f) => [f.role, f.type, f.mimeType]).sort()).toEqual([
      ['cbct', 'cbct', 'application/octet-stream'],
      ['lower', 'stl', 'model/stl'],
      ['upper', 'stl', 'model/stl'],
    ]);
    const stls = await call<Page<DentalRegistryFile>>('dental.files.list', { type: 'stl' });
    expect(stls.items.map((f) => f.role).sort()).toEqual(['lower', 'upper']);
    const page1 = await call<Page<DentalRegistryFile>>('dental.files.list', { limit: 2, page: 1 });
    const page2 = await call<Page<DentalRegistryFile>>('dental.files.list', { limit: 2, page: 2 });
    expect([page1.items.length, page2.items.length, page1.totalPages]).toEqual([2, 1, 2]);
    expect(new Set([...page1.items, ...page2.items].map((f) => f.id)).size).toBe(3);

    // Each download carries its MIME type, a Content-Disposition with its name, the same bytes.
    const expected: Partial<Record<DentalRegistryFile['role'], Buffer>> = { upper, lower, cbct };
    for (const file of all.items) {
      const response = await download(file.id);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(file.mimeType);
      expect(response.headers.get('content-disposition')).toContain(`filename="${file.fileName}"`);
      const body = new Uint8Array(await response.arrayBuffer());
      expect(sha256(body)).toBe(file.sha256);
      expect(sha256(body)).toBe(sha256(expected[file.role] ?? Buffer.alloc(0)));
    }
    expect((await download('0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e')).status).toBe(404);
  });

  it('moves cases between folders, renames folders and filters cases by folder', async () => {
    const a = await call<DentalFolder>('dental.folders.create', { name: 'Implants' });
    const b = await call<DentalFolder>('dental.folders.create', { name: 'Follow-up' });
    const refused = await rpc(ctx.server, 'dental.folders.create', { name: 'implants' }, token);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const one = await call<DentalCase>('dental.cases.create', {
      name: 'Lower only',
      lowerStl: paths.lower,
      folderId: a.id,
    });
    expect(one.upper).toBeNull();
    expect(one.lower?.role).toBe('lower');
    const moved = await call<DentalCase>('dental.cases.move', { caseId: one.id, folderId: b.id });
    expect(moved.folderId).toBe(b.id);
    const inA = await call<Page<DentalCase>>('dental.cases.list', { folderId: a.id });
    const inB = await call<Page<DentalCase>>('dental.cases.list', { folderId: b.id });
    expect([inA.total, inB.items.map((c) => c.name)]).toEqual([0, ['Lower only']]);
    const renamed = await call<DentalFolder>('dental.folders.rename', {
      id: b.id,
      name: 'Recall 2027',
    });
    expect(renamed).toMatchObject({ name: 'Recall 2027', caseCount: 1 });
    const out = await call<DentalCase>('dental.cases.move', { caseId: one.id, folderId: null });
    expect(out.folderName).toBeNull();
    const found = await call<Page<DentalCase>>('dental.cases.list', { search: 'lower ON' });
    expect(found.items.map((c) => c.name)).toEqual(['Lower only']);
    const wildcard = await call<Page<DentalCase>>('dental.cases.list', { search: '%' });
    expect(wildcard.total).toBe(0);
    const loose = await call<Page<DentalCase>>('dental.cases.list', { folderId: 'none' });
    expect(loose.items.map((c) => c.name)).toContain('Lower only');
  });

  it('keeps every version of an edited caption, with author and time', async () => {
    const c = await call<DentalCase>('dental.cases.create', {
      name: 'Caps',
      upperStl: paths.upper,
    });
    const added = await call<DentalCaption>('dental.captions.add', {
      caseId: c.id,
      modality: 'upper',
      text: 'Crowding of the upper incisors.',
    });
    expect(added).toMatchObject({ author: 'admin', modality: 'upper', history: [{ version: 1 }] });
    const edited = await call<DentalCaption>('dental.captions.edit', {
      id: added.id,
      text: 'Moderate crowding of the upper incisors.',
    });
    expect(edited.text).toBe('Moderate crowding of the upper incisors.');
    expect(edited.history.map((v) => [v.version, v.text, v.author])).toEqual([
      [1, 'Crowding of the upper incisors.', 'admin'],
      [2, 'Moderate crowding of the upper incisors.', 'admin'],
    ]);
    const listed = await call<DentalCaption[]>('dental.captions.list', { caseId: c.id });
    expect(listed).toEqual([edited]);
    const empty = await rpc(
      ctx.server,
      'dental.captions.add',
      {
        caseId: c.id,
        modality: 'case',
        text: '   ',
      },
      token,
    );
    expect(empty.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a damaged, an empty or a missing STL with a message naming the jaw, storing nothing', async () => {
    const before = await call<Page<DentalCase>>('dental.cases.list', {});
    const bad = await rpc(
      ctx.server,
      'dental.cases.create',
      {
        name: 'Broken',
        upperStl: paths.upper,
        lowerStl: paths.bad,
      },
      token,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'CORRUPT_FILE' } });
    expect(JSON.stringify(bad.body)).toMatch(/lower jaw STL .*not a usable STL/);
    const empty = await rpc(
      ctx.server,
      'dental.cases.create',
      {
        name: 'Empty',
        upperStl: paths.empty,
      },
      token,
    );
    expect(JSON.stringify(empty.body)).toMatch(/upper jaw STL .* is empty/);
    const missing = await rpc(
      ctx.server,
      'dental.cases.create',
      {
        name: 'Missing',
        cbct: join(ctx.root, 'nowhere'),
      },
      token,
    );
    // Over HTTP a missing path is refused as one outside the allowed folders (as import.files
    // does): the answer does not tell whether a server path exists.
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    const nothing = await rpc(ctx.server, 'dental.cases.create', { name: 'Nothing' }, token);
    expect(nothing.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const after = await call<Page<DentalCase>>('dental.cases.list', {});
    expect(after.total).toBe(before.total);
  });

  it('writes through the clinical writer: audit entries and outbox rows', () => {
    const db = ctx.server.core.db;
    const outbox = db
      .prepare("SELECT entity, op FROM outbox WHERE entity LIKE 'dental_%'")
      .all() as { entity: string; op: string }[];
    const kinds = new Set(outbox.map((r) => `${r.entity}:${r.op}`));
    for (const k of [
      'dental_case:create',
      'dental_file:create',
      'dental_folder:create',
      'dental_folder:update',
      'dental_case:update',
      'dental_caption:create',
      'dental_caption:update',
    ])
      expect(kinds).toContain(k);
    const audited = db
      .prepare("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'dental.%'")
      .all() as { action: string }[];
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['dental.case.create', 'dental.caption.edit', 'dental.file.download']),
    );
  });

  it('reports the queue counts in health', async () => {
    const health = (await (await fetch(`${ctx.server.url}/api/health`)).json()) as Health;
    expect(health.queue).toEqual({ pending: 0, processing: 0 });
  });
});

describe('health queue counts', () => {
  let t: TestCore | undefined;
  afterAll(() => t?.dispose());

  it('counts the CBCT import that waits while no job runs', async () => {
    t = startTestCore({ runJobs: false });
    const token = await setupAdmin(t);
    const path = join(t.inputDir, 'cbct.nii.gz');
    writeFileSync(path, makeNifti({ dims: [4, 4, 3], gzip: true }));
    expect(t.core.health().queue).toEqual({ pending: 0, processing: 0 });
    const created = await t.ok('dental.cases.create', { name: 'Waiting', cbct: path }, token);
    expect(created.cbct).toMatchObject({ status: 'pending', scanId: null });
    expect(t.core.health().queue).toEqual({ pending: 1, processing: 0 });
  });
});
