import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sceneMeshes,
  unpackSceneMeshes,
  type SceneDocument,
} from '../../../src-shared/mesh/scene-document.js';
import {
  addUser,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { makeBinaryStl, makeNifti, TETRAHEDRON } from '../../test-support/volume-fixtures.js';

const DIMS: [number, number, number] = [40, 40, 24];
const inLesion = (i: number, j: number, k: number): boolean =>
  Math.hypot(i - 24, j - 18, k - 12) <= 5;
const LESION_VOXELS = (() => {
  let n = 0;
  for (let k = 0; k < DIMS[2]; k++)
    for (let j = 0; j < DIMS[1]; j++) for (let i = 0; i < DIMS[0]; i++) if (inLesion(i, j, k)) n++;
  return n;
})();

/** A 1 mm head: an ellipsoid of tissue on a dark background, a bright lesion in it. */
const head = (variant: number) =>
  makeNifti({
    dims: DIMS,
    gzip: true,
    voxel: (i, j, k) => {
      if (i === 0 && j === 0 && k === 0) return variant;
      if (Math.hypot((i - 20) / 16, (j - 20) / 18, (k - 12) / 10) > 1) return 3;
      return inLesion(i, j, k) ? 900 : 400;
    },
  });
const labels = makeNifti({
  dims: DIMS,
  datatype: 'uint8',
  gzip: true,
  voxel: (i, j, k) => (inLesion(i, j, k) ? 2 : 0),
});

/** The stand-in viewer the HTML inlines (the real one is built by `npm run build:renderer`). */
const VIEWER = 'document.body.dataset.viewer = "stand-in";';

function scriptBody(html: string, id: string): string {
  const match = new RegExp(`<script[^>]*id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(html);
  if (match === null) throw new Error(`no element ${id}`);
  return match[1]!;
}

describe('visualizations: HTML scenes built in the core', () => {
  let t: TestCore;
  let token: string;
  let scanId: string;
  let bareScanId: string;
  let viewerDir: string;

  beforeAll(async () => {
    viewerDir = makeTempDir('neurosphere-viewer-');
    const viewer = join(viewerDir, 'scene-viewer.js');
    writeFileSync(viewer, VIEWER);
    t = startTestCore({ sceneViewerScriptPath: viewer });
    token = await setupAdmin(t);
    writeFileSync(join(t.inputDir, 'head.nii.gz'), head(1));
    writeFileSync(join(t.inputDir, 'bare.nii.gz'), head(2));
    writeFileSync(join(t.inputDir, 'lesion-seg.nii.gz'), labels);
    scanId = await importScan(t, token, [join(t.inputDir, 'head.nii.gz')]);
    bareScanId = await importScan(t, token, [join(t.inputDir, 'bare.nii.gz')]);
    const job = await t.ok(
      'import.files',
      { paths: [join(t.inputDir, 'lesion-seg.nii.gz')], segmentationOf: scanId },
      token,
    );
    expect((await t.core.jobs.whenFinished(job.id, 50)).status).toBe('completed');
    writeFileSync(join(t.inputDir, 'upper-jaw.stl'), makeBinaryStl(TETRAHEDRON));
    const attach = await t.ok(
      'import.files',
      { paths: [join(t.inputDir, 'upper-jaw.stl')], attachTo: scanId },
      token,
    );
    expect((await t.core.jobs.whenFinished(attach.id, 50)).status).toBe('completed');
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
    removeTempDir(viewerDir);
  });

  it('says what is missing for a scan without a tumour mask', async () => {
    const error = await t.fail('visualizations.create', { scanId: bareScanId }, token);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/no tumour mask.*run the analysis, or import a label map/);
    expect(await t.ok('visualizations.list', { scanId: bareScanId }, token)).toEqual([]);
  });

  it('builds one self-contained HTML file of the lesion and the head, lists it and serves it', async () => {
    const created = await t.ok(
      'visualizations.create',
      { scanId, quality: 'low', colorScheme: 'colorblind' },
      token,
    );
    expect(created).toMatchObject({
      scanId,
      quality: 'low',
      status: 'pending',
      options: { colorScheme: 'colorblind', highlightTumor: true, withoutHead: false },
      size: null,
    });
    const job = await t.core.jobs.whenFinished(created.jobId as string, 50);
    expect(
      job.status,
      JSON.stringify(
        t.logger.entries
          .filter((e) => e.level === 'error')
          .map((e) => [e.message, String(e.fields['error'])]),
      ),
    ).toBe('completed');

    const [listed] = await t.ok('visualizations.list', { scanId }, token);
    expect(listed).toMatchObject({
      id: created.id,
      status: 'completed',
      progress: 1,
      lesionCount: 1,
    });
    expect(await t.ok('visualizations.get', { id: created.id }, token)).toEqual(listed);

    const result = await t.core.router.stream(
      'visualizations.html',
      { id: created.id },
      { transport: 'test', token },
    );
    if (!result.ok) throw new Error(result.error.message);
    const bytes = result.value.data as Uint8Array;
    expect(bytes.byteLength).toBe(listed!.size);
    expect(result.value.description).toEqual({ fileName: listed!.fileName, size: listed!.size });
    expect(listed!.fileName).toMatch(/^neurosphere-3d-scene-low-[0-9a-f]{8}\.html$/);
    const html = new TextDecoder().decode(bytes);
    expect(html).toContain(`<script>${VIEWER}</script>`);
    expect(html).not.toMatch(/\s(src|href)\s*=/i);

    const scene = JSON.parse(scriptBody(html, 'neurosphere-scene')) as SceneDocument;
    expect(scene).toMatchObject({
      quality: 'low',
      colorScheme: 'colorblind',
      highlightTumor: true,
      tumourSource: 'label map',
    });
    expect(scene.lesions).toHaveLength(1);
    const lesion = scene.lesions[0]!;
    // Volume from the voxel count (1 mm voxels), as the analysis and the 3D view report it.
    expect(lesion.volumeMl).toBeCloseTo(LESION_VOXELS / 1000, 6);
    expect(lesion.maxDiameterMm).toBeGreaterThan(8);
    expect(lesion.maxDiameterMm).toBeLessThan(12.5);
    expect(scene.head).not.toBeNull();
    // The attached STL rides along in its own coordinates.
    expect(scene.attachments).toEqual([expect.objectContaining({ triangleCount: 4 })]);
    const meshes = unpackSceneMeshes(
      new Uint8Array(
        gunzipSync(Buffer.from(scriptBody(html, 'neurosphere-scene-meshes'), 'base64')),
      ),
      sceneMeshes(scene),
    );
    // The head reaches further than the lesion: its surface spans most of the 32 mm ellipsoid.
    const extentX = (positions: Float32Array) => {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < positions.length; i += 3) {
        min = Math.min(min, positions[i]!);
        max = Math.max(max, positions[i]!);
      }
      return max - min;
    };
    expect(extentX(meshes[1]!.positions)).toBeGreaterThan(24);
    expect(extentX(meshes[0]!.positions)).toBeLessThan(12);

    const actions = t.core.audit.list(50).map((e) => e.action);
    expect(actions).toContain('visualizations.create');
    expect(actions).toContain('visualizations.export');
  }, 60_000);

  it('can be cancelled; a cancelled scene says so and has no file', async () => {
    // Cancelled while still pending: the queue starts jobs on the next microtask.
    const created = t.core.visualizations.create(
      { scanId, quality: 'high', highlightTumor: false, colorScheme: 'standard' },
      null,
    );
    t.core.jobs.cancel(created.jobId as string);
    await t.core.jobs.whenFinished(created.jobId as string, 50);
    const got = await t.ok('visualizations.get', { id: created.id }, token);
    expect(got).toMatchObject({ status: 'cancelled', size: null });
    const result = await t.core.router.stream(
      'visualizations.html',
      { id: created.id },
      { transport: 'test', token },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CONFLICT');
      expect(result.error.message).toMatch(/was not built \(cancelled.*generate it again/);
    }
  });

  it('lets a viewer list scenes but not build one', async () => {
    const { token: viewer } = await addUser(t, token, 'vera', 'viewer');
    expect((await t.ok('visualizations.list', { scanId }, viewer)).length).toBeGreaterThan(0);
    expect((await t.fail('visualizations.create', { scanId }, viewer)).code).toBe(
      'PERMISSION_DENIED',
    );
  });

  it("lets a patient account read and download its own scans' scenes, and no one else's", async () => {
    const patient = await t.ok('patients.create', { name: 'Scene, Sam' }, token);
    await t.ok('scans.assignPatient', { scanId, patientId: patient.id }, token);
    const { token: own } = await addUser(
      t,
      token,
      'sam',
      'patient',
      'a long enough password',
      patient.id,
    );
    const [scene] = (await t.ok('visualizations.list', { scanId }, own)).filter(
      (v) => v.status === 'completed',
    );
    expect(scene).toBeDefined();
    expect((await t.ok('visualizations.get', { id: scene!.id }, own)).id).toBe(scene!.id);
    const file = await t.core.router.stream(
      'visualizations.html',
      { id: scene!.id },
      { transport: 'test', token: own },
    );
    expect(file.ok).toBe(true);
    // Another patient's (here: nobody's) scan answers as missing; building one is not theirs.
    expect((await t.fail('visualizations.list', { scanId: bareScanId }, own)).code).toBe(
      'NOT_FOUND',
    );
    expect((await t.fail('visualizations.create', { scanId }, own)).code).toBe('PERMISSION_DENIED');
  });

  it('goes with its scan: rows and the stored file', async () => {
    const [done] = (await t.ok('visualizations.list', { scanId }, token)).filter(
      (v) => v.status === 'completed',
    );
    const sha = t.core.db
      .prepare<[string], { blob_sha256: string }>(
        'SELECT blob_sha256 FROM visualizations WHERE id = ?',
      )
      .get(done!.id)!.blob_sha256;
    expect(t.core.blobs.has(sha)).toBe(true);
    await t.ok('scans.delete', { id: scanId }, token);
    expect((await t.fail('visualizations.get', { id: done!.id }, token)).code).toBe('NOT_FOUND');
    expect(t.core.blobs.has(sha)).toBe(false);
  });
});

describe('visualizations without the viewer build', () => {
  it('fail with a message that says how to build it', async () => {
    const t = startTestCore({ sceneViewerScriptPath: '/nonexistent/scene-viewer.js' });
    try {
      const token = await setupAdmin(t);
      writeFileSync(join(t.inputDir, 'head.nii.gz'), head(3));
      writeFileSync(join(t.inputDir, 'seg.nii.gz'), labels);
      const scanId = await importScan(t, token, [join(t.inputDir, 'head.nii.gz')]);
      const job = await t.ok(
        'import.files',
        { paths: [join(t.inputDir, 'seg.nii.gz')], segmentationOf: scanId },
        token,
      );
      await t.core.jobs.whenFinished(job.id, 50);
      const created = await t.ok('visualizations.create', { scanId }, token);
      const finished = await t.core.jobs.whenFinished(created.jobId as string, 50);
      expect(finished.status).toBe('failed');
      const got = await t.ok('visualizations.get', { id: created.id }, token);
      expect(got.status).toBe('failed');
      expect(got.error).toMatch(/scene viewer is not built.*npm run build:renderer/);
    } finally {
      await t.dispose();
    }
  }, 60_000);
});
