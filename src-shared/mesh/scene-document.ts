import type { TriangleMesh } from './marching-cubes.js';

/**
 * The data of a standalone HTML scene (docs/html-export.md): written by the core's
 * visualization job, read by the scene viewer bundled into the same HTML file. The description
 * travels as JSON; the meshes as one binary block (gzip + base64 in the file), in the order of
 * `sceneMeshes`: every lesion, then the head, then the attached meshes.
 */
export const SCENE_DOCUMENT_FORMAT = 'neurosphere-3d-scene';
export const SCENE_DOCUMENT_VERSION = 1;

export interface SceneMeshInfo {
  readonly vertexCount: number;
  readonly triangleCount: number;
}

export interface SceneLesionInfo extends SceneMeshInfo {
  /** 1-based, as the 3D view and the analysis number them. */
  readonly id: number;
  readonly volumeMl: number;
  readonly maxDiameterMm: number;
  /** Patient LPS, mm. */
  readonly centre: readonly [number, number, number];
}

/** A mesh attached to the scan (an STL: e.g. one jaw of an intra-oral scan), in its own mm. */
export interface SceneAttachmentInfo extends SceneMeshInfo {
  readonly name: string;
}

export interface SceneDocument {
  readonly format: typeof SCENE_DOCUMENT_FORMAT;
  readonly version: typeof SCENE_DOCUMENT_VERSION;
  /** No patient identifiers: the file is meant to leave the app. */
  readonly title: string;
  readonly createdAt: string;
  readonly quality: 'low' | 'medium' | 'high';
  readonly highlightTumor: boolean;
  readonly colorScheme: 'standard' | 'colorblind';
  /** Where the tumour surfaces come from, in words ("analysis", "label map"). */
  readonly tumourSource: string;
  readonly lesions: readonly SceneLesionInfo[];
  readonly head: SceneMeshInfo | null;
  /** Attached STL meshes, placed in their own coordinates (no registration to the scan). */
  readonly attachments: readonly SceneAttachmentInfo[];
  /** What had to be assumed (no spacing, no orientation), shown under the scene. */
  readonly notes: readonly string[];
}

export function meshInfo(mesh: TriangleMesh): SceneMeshInfo {
  return { vertexCount: mesh.positions.length / 3, triangleCount: mesh.indices.length / 3 };
}

/** The meshes' descriptions in the order their bytes are packed: lesions, head, attachments. */
export function sceneMeshes(document: SceneDocument): SceneMeshInfo[] {
  return [
    ...document.lesions,
    ...(document.head === null ? [] : [document.head]),
    ...document.attachments,
  ];
}

function byteLengthOf(info: SceneMeshInfo): number {
  return (info.vertexCount * 3 + info.triangleCount * 3) * 4;
}

/** Positions (float32) then indices (uint32) of each mesh, little-endian, one after another. */
export function packSceneMeshes(meshes: readonly TriangleMesh[]): Uint8Array {
  const total = meshes.reduce((sum, m) => sum + (m.positions.length + m.indices.length) * 4, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const mesh of meshes) {
    for (const array of [mesh.positions, mesh.indices]) {
      bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
      offset += array.byteLength;
    }
  }
  return bytes;
}

export class SceneDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SceneDataError';
  }
}

/** The meshes back from their packed bytes; a clear error when the bytes do not fit the list. */
export function unpackSceneMeshes(
  bytes: Uint8Array,
  infos: readonly SceneMeshInfo[],
): TriangleMesh[] {
  const expected = infos.reduce((sum, info) => sum + byteLengthOf(info), 0);
  if (bytes.byteLength !== expected)
    throw new SceneDataError(
      `The scene's mesh data has ${bytes.byteLength} bytes where its description needs ${expected}: the file is damaged.`,
    );
  // A copy on a fresh buffer: typed arrays need 4-byte-aligned offsets.
  const buffer = bytes.slice().buffer;
  let offset = 0;
  return infos.map((info) => {
    const positions = new Float32Array(buffer, offset, info.vertexCount * 3);
    offset += positions.byteLength;
    const indices = new Uint32Array(buffer, offset, info.triangleCount * 3);
    offset += indices.byteLength;
    for (const index of indices)
      if (index >= info.vertexCount)
        throw new SceneDataError('A triangle of the scene names a vertex it does not have.');
    return { positions, indices };
  });
}

/** The label shown at a lesion: number, volume and largest diameter (as the 3D view shows it). */
export function lesionCaption(lesion: SceneLesionInfo): string {
  return `${lesion.id} · ${lesion.volumeMl.toFixed(1)} mL · ⌀ ${lesion.maxDiameterMm.toFixed(0)} mm`;
}

/** Whether parsed JSON is a scene document this viewer reads (format and version). */
export function isSceneDocument(value: unknown): value is SceneDocument {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SceneDocument>;
  return (
    v.format === SCENE_DOCUMENT_FORMAT &&
    v.version === SCENE_DOCUMENT_VERSION &&
    Array.isArray(v.lesions) &&
    Array.isArray(v.attachments) &&
    Array.isArray(v.notes)
  );
}
