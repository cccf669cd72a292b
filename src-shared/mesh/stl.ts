import type { TriangleMesh } from './marching-cubes.js';

/** A triangle soup read from STL: three vertices per triangle, none shared. */
export interface StlMesh extends TriangleMesh {
  readonly format: 'ascii' | 'binary';
  /** The ASCII `solid` name, or null (binary files have none we trust). */
  readonly name: string | null;
}

const HEADER = 84;
const TRIANGLE_BYTES = 50;

/** Thrown for a file that is not a readable STL; the message says what is wrong. */
export class StlError extends Error {
  override readonly name = 'StlError';
}

/** A binary STL is exactly 84 + 50·n bytes, n being the count its header states. */
export function isBinaryStl(data: Uint8Array): boolean {
  if (data.length < HEADER) return false;
  const count = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(80, true);
  return data.length === HEADER + count * TRIANGLE_BYTES;
}

function latin1(data: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < data.length; i += chunk)
    text += String.fromCharCode(...data.subarray(i, i + chunk));
  return text;
}

function sequentialIndices(count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}

function parseBinary(data: Uint8Array): StlMesh {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(80, true);
  const positions = new Float32Array(count * 9);
  for (let t = 0; t < count; t++) {
    const at = HEADER + t * TRIANGLE_BYTES + 12;
    for (let k = 0; k < 9; k++) positions[9 * t + k] = view.getFloat32(at + 4 * k, true);
  }
  checkFinite(positions);
  return {
    format: 'binary',
    name: null,
    positions,
    indices: sequentialIndices(count * 3),
  };
}

function parseAscii(text: string): StlMesh {
  const name = /^\s*solid[ \t]*([^\r\n]*)/.exec(text)?.[1]?.trim() || null;
  const values: number[] = [];
  const vertex = /vertex\s+(\S+)\s+(\S+)\s+(\S+)/g;
  for (let m = vertex.exec(text); m !== null; m = vertex.exec(text))
    values.push(Number(m[1]), Number(m[2]), Number(m[3]));
  const facets = (text.match(/endfacet/g) ?? []).length;
  if (values.length !== facets * 9)
    throw new StlError(
      `The STL file is damaged: ${values.length / 3} vertices for ${facets} facets (each needs 3).`,
    );
  const positions = Float32Array.from(values);
  checkFinite(positions);
  return { format: 'ascii', name, positions, indices: sequentialIndices(values.length / 3) };
}

function checkFinite(positions: Float32Array): void {
  for (const value of positions)
    if (!Number.isFinite(value))
      throw new StlError('The STL file is damaged: a vertex is not a number.');
}

/** Reads an ASCII or binary STL; throws StlError for anything else or an empty mesh. */
export function parseStl(data: Uint8Array): StlMesh {
  let mesh: StlMesh;
  if (isBinaryStl(data)) mesh = parseBinary(data);
  else {
    const text = latin1(data);
    if (!/^\s*solid/.test(text) || !/facet/.test(text.slice(0, 4096)))
      throw new StlError(
        'This is not an STL mesh: neither a binary STL of the size its header states nor ASCII STL text.',
      );
    mesh = parseAscii(text);
  }
  if (mesh.indices.length === 0) throw new StlError('The STL file holds no triangles.');
  return mesh;
}

function normalOf(p: Float32Array, a: number, b: number, c: number): [number, number, number] {
  const ux = p[3 * b]! - p[3 * a]!;
  const uy = p[3 * b + 1]! - p[3 * a + 1]!;
  const uz = p[3 * b + 2]! - p[3 * a + 2]!;
  const vx = p[3 * c]! - p[3 * a]!;
  const vy = p[3 * c + 1]! - p[3 * a + 1]!;
  const vz = p[3 * c + 2]! - p[3 * a + 2]!;
  const n: [number, number, number] = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
  const length = Math.hypot(...n) || 1;
  return [n[0] / length, n[1] / length, n[2] / length];
}

/** Writes a mesh as binary STL (facet normals from the winding). */
export function writeBinaryStl(mesh: TriangleMesh, header = 'Neurosphere mesh'): Uint8Array {
  const count = mesh.indices.length / 3;
  const bytes = new Uint8Array(HEADER + count * TRIANGLE_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < Math.min(80, header.length); i++) bytes[i] = header.charCodeAt(i) & 0x7f;
  view.setUint32(80, count, true);
  const p = mesh.positions;
  for (let t = 0; t < count; t++) {
    const corners = [mesh.indices[3 * t]!, mesh.indices[3 * t + 1]!, mesh.indices[3 * t + 2]!];
    const normal = normalOf(p, corners[0]!, corners[1]!, corners[2]!);
    const at = HEADER + t * TRIANGLE_BYTES;
    normal.forEach((value, k) => view.setFloat32(at + 4 * k, value, true));
    corners.forEach((v, corner) => {
      for (let k = 0; k < 3; k++)
        view.setFloat32(at + 12 + 12 * corner + 4 * k, p[3 * v + k]!, true);
    });
  }
  return bytes;
}

/** Writes a mesh as ASCII STL. */
export function writeAsciiStl(mesh: TriangleMesh, name = 'neurosphere'): string {
  const lines = [`solid ${name}`];
  const p = mesh.positions;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [mesh.indices[t]!, mesh.indices[t + 1]!, mesh.indices[t + 2]!];
    lines.push(`  facet normal ${normalOf(p, a, b, c).join(' ')}`, '    outer loop');
    for (const v of [a, b, c])
      lines.push(`      vertex ${p[3 * v]} ${p[3 * v + 1]} ${p[3 * v + 2]}`);
    lines.push('    endloop', '  endfacet');
  }
  lines.push(`endsolid ${name}`);
  return `${lines.join('\n')}\n`;
}
