import { describe, expect, it } from 'vitest';
import {
  isSceneDocument,
  lesionCaption,
  meshInfo,
  packSceneMeshes,
  SceneDataError,
  sceneMeshes,
  unpackSceneMeshes,
  type SceneDocument,
} from './scene-document.js';

const triangle = {
  positions: new Float32Array([0, 0, 0, 10.5, 0, 0, 0, -3.25, 7]),
  indices: new Uint32Array([0, 1, 2]),
};
const quad = {
  positions: new Float32Array([1, 1, 1, 2, 1, 1, 2, 2, 1, 1, 2, 1]),
  indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
};

const document: SceneDocument = {
  format: 'neurosphere-3d-scene',
  version: 1,
  title: 'Scene',
  createdAt: '2024-03-01T08:00:00.000Z',
  quality: 'medium',
  highlightTumor: true,
  colorScheme: 'colorblind',
  tumourSource: 'analysis',
  lesions: [{ id: 1, volumeMl: 12.345, maxDiameterMm: 31.6, centre: [1, 2, 3], ...meshInfo(quad) }],
  head: meshInfo(triangle),
  attachments: [],
  notes: [],
};

describe('the scene document of an HTML scene', () => {
  it('packs meshes and reads them back exactly, lesions first, then the head', () => {
    const infos = sceneMeshes(document);
    expect(infos).toEqual([{ ...document.lesions[0] }, { vertexCount: 3, triangleCount: 1 }]);
    const bytes = packSceneMeshes([quad, triangle]);
    expect(bytes.byteLength).toBe((12 + 6 + 9 + 3) * 4);
    // Unaligned input, as a decoder may hand it over.
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const [lesion, head] = unpackSceneMeshes(shifted.subarray(1), infos);
    expect(Array.from(lesion!.positions)).toEqual(Array.from(quad.positions));
    expect(Array.from(lesion!.indices)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(Array.from(head!.positions)).toEqual(Array.from(triangle.positions));
    expect(Array.from(head!.indices)).toEqual([0, 1, 2]);
  });

  it('refuses bytes that do not fit the description, and triangles naming missing vertices', () => {
    const bytes = packSceneMeshes([quad, triangle]);
    expect(() => unpackSceneMeshes(bytes.subarray(4), sceneMeshes(document))).toThrow(
      /bytes where its description needs .*damaged/,
    );
    const broken = packSceneMeshes([
      { positions: triangle.positions, indices: new Uint32Array([0, 1, 3]) },
    ]);
    expect(() => unpackSceneMeshes(broken, [meshInfo(triangle)])).toThrow(SceneDataError);
  });

  it('labels a lesion with its number, volume in mL and largest diameter in mm', () => {
    expect(lesionCaption(document.lesions[0]!)).toBe('1 · 12.3 mL · ⌀ 32 mm');
  });

  it('recognises its own format and version only', () => {
    expect(isSceneDocument(JSON.parse(JSON.stringify(document)))).toBe(true);
    expect(isSceneDocument({ ...document, version: 2 })).toBe(false);
    expect(isSceneDocument({ ...document, format: 'other' })).toBe(false);
    expect(isSceneDocument(null)).toBe(false);
  });
});
