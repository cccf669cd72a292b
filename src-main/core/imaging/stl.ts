import { AppError } from '../../../src-shared/errors.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';

export interface MeshSummary {
  format: 'ascii' | 'binary';
  triangleCount: number;
  boundingBox: [Vector3, Vector3];
  name: string | null;
}

const BINARY_HEADER = 84;
const BINARY_TRIANGLE = 50;

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT_FILE', `STL mesh is damaged: ${reason}`);
}

function bounds(): { min: Vector3; max: Vector3; add(x: number, y: number, z: number): void } {
  const min: Vector3 = [Infinity, Infinity, Infinity];
  const max: Vector3 = [-Infinity, -Infinity, -Infinity];
  return {
    min,
    max,
    add(x, y, z) {
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
        throw corrupt('a vertex is not a finite number');
      const v = [x, y, z];
      for (let i = 0; i < 3; i++) {
        if (v[i]! < min[i]!) min[i] = v[i]!;
        if (v[i]! > max[i]!) max[i] = v[i]!;
      }
    },
  };
}

/** A binary STL is exactly 84 + 50·n bytes, n being the count in its header. */
export function isBinaryStl(data: Uint8Array): boolean {
  if (data.length < BINARY_HEADER) return false;
  const count = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(80, true);
  return data.length === BINARY_HEADER + count * BINARY_TRIANGLE;
}

export function isAsciiStl(data: Uint8Array): boolean {
  const head = Buffer.from(data.subarray(0, 512)).toString('latin1').trimStart();
  return head.startsWith('solid') && /facet|endsolid/.test(head);
}

function summariseBinary(data: Uint8Array): MeshSummary {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(80, true);
  const box = bounds();
  for (let t = 0; t < count; t++) {
    const at = BINARY_HEADER + t * BINARY_TRIANGLE + 12;
    for (let v = 0; v < 3; v++) {
      const p = at + v * 12;
      box.add(view.getFloat32(p, true), view.getFloat32(p + 4, true), view.getFloat32(p + 8, true));
    }
  }
  return { format: 'binary', triangleCount: count, boundingBox: finish(box, count), name: null };
}

function finish(box: ReturnType<typeof bounds>, count: number): [Vector3, Vector3] {
  if (count === 0) throw corrupt('it holds no triangles');
  return [box.min, box.max];
}

function summariseAscii(data: Uint8Array): MeshSummary {
  const text = Buffer.from(data).toString('latin1');
  const name = /^\s*solid[ \t]*([^\r\n]*)/.exec(text)?.[1]?.trim() || null;
  const box = bounds();
  let vertices = 0;
  const vertex = /vertex\s+(\S+)\s+(\S+)\s+(\S+)/g;
  for (let m = vertex.exec(text); m !== null; m = vertex.exec(text)) {
    box.add(Number(m[1]), Number(m[2]), Number(m[3]));
    vertices++;
  }
  const facets = (text.match(/endfacet/g) ?? []).length;
  if (vertices !== facets * 3) {
    throw corrupt(
      `${vertices} vertices for ${facets} facets (each facet needs 3): the file is truncated`,
    );
  }
  return { format: 'ascii', triangleCount: facets, boundingBox: finish(box, facets), name };
}

/** Reads an ASCII or binary STL far enough to count its triangles and bound it. */
export function summariseStl(data: Uint8Array): MeshSummary {
  if (isBinaryStl(data)) return summariseBinary(data);
  if (isAsciiStl(data)) return summariseAscii(data);
  throw corrupt('neither a binary STL of the size its header states nor an ASCII STL');
}
