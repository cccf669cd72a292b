import { describe, expect, it } from 'vitest';
import { marchingCubes } from './marching-cubes.js';
import { meshEnclosedVolume, meshSurfaceArea } from './mesh-measures.js';
import { isBinaryStl, parseStl, StlError, writeAsciiStl, writeBinaryStl } from './stl.js';

/** ASCII text as bytes (src-shared has no TextEncoder types: it runs everywhere). */
const asciiBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function cube(): ReturnType<typeof marchingCubes> {
  const dims: [number, number, number] = [6, 6, 6];
  const field = new Float32Array(216);
  for (let z = 1; z < 5; z++)
    for (let y = 1; y < 5; y++) for (let x = 1; x < 5; x++) field[x + 6 * (y + 6 * z)] = 1;
  return marchingCubes({ field, dims, isoLevel: 0.5, spacing: [1.5, 1, 2] });
}

describe('STL', () => {
  it('round-trips a mesh through binary STL', () => {
    const mesh = cube();
    const bytes = writeBinaryStl(mesh);
    expect(isBinaryStl(bytes)).toBe(true);
    const read = parseStl(bytes);
    expect(read.format).toBe('binary');
    expect(read.indices.length).toBe(mesh.indices.length);
    expect(meshEnclosedVolume(read)).toBeCloseTo(meshEnclosedVolume(mesh), 4);
    expect(meshSurfaceArea(read)).toBeCloseTo(meshSurfaceArea(mesh), 4);
    // Every triangle's corners come back where they were.
    for (let t = 0; t < mesh.indices.length; t++)
      for (let k = 0; k < 3; k++)
        expect(read.positions[3 * t + k]).toBeCloseTo(mesh.positions[3 * mesh.indices[t]! + k]!, 5);
  });

  it('round-trips a mesh through ASCII STL, with its name', () => {
    const mesh = cube();
    const text = writeAsciiStl(mesh, 'upper jaw');
    const read = parseStl(asciiBytes(text));
    expect(read.format).toBe('ascii');
    expect(read.name).toBe('upper jaw');
    expect(meshEnclosedVolume(read)).toBeCloseTo(meshEnclosedVolume(mesh), 4);
  });

  it('refuses damaged and foreign files with a message that says what is wrong', () => {
    const text = writeAsciiStl(cube(), 'x');
    const truncated = asciiBytes(text.slice(0, text.length / 2));
    expect(() => parseStl(truncated)).toThrow(StlError);
    expect(() => parseStl(truncated)).toThrow(/damaged: \d+ vertices for \d+ facets/);
    expect(() => parseStl(asciiBytes('hello world'))).toThrow(/not an STL mesh/);
    const binary = writeBinaryStl(cube());
    expect(() => parseStl(binary.subarray(0, binary.length - 10))).toThrow(/not an STL mesh/);
    const empty = writeBinaryStl({ positions: new Float32Array(0), indices: new Uint32Array(0) });
    expect(() => parseStl(empty)).toThrow(/no triangles/);
  });
});
