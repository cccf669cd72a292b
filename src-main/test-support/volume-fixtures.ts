import { gzipSync } from 'node:zlib';
import type { Vector3 } from '../../src-shared/geometry/vector.js';

/** A NIfTI-1 image (.nii, or .nii.gz with `gzip`) with an sform; voxel(i, j, k) gives values. */
export function makeNifti(options: {
  dims: Vector3;
  /** Rows of the sform (RAS): [[a,b,c,tx],[d,e,f,ty],[g,h,i,tz]]. Default: 1 mm, identity. */
  sform?: [number[], number[], number[]];
  datatype?: 'uint8' | 'int16';
  voxel?: (i: number, j: number, k: number) => number;
  gzip?: boolean;
}): Buffer {
  const [nx, ny, nz] = options.dims;
  const isInt16 = options.datatype !== 'uint8';
  const bytes = isInt16 ? 2 : 1;
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((d, i) => header.writeInt16LE(d, 40 + 2 * i));
  header.writeInt16LE(isInt16 ? 4 : 2, 70);
  header.writeInt16LE(bytes * 8, 72);
  const sform = options.sform ?? [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ];
  const spacing = [0, 1, 2].map((c) => Math.hypot(sform[0]![c]!, sform[1]![c]!, sform[2]![c]!));
  [1, ...spacing, 0, 0, 0, 0].forEach((p, i) => header.writeFloatLE(p, 76 + 4 * i));
  header.writeFloatLE(352, 108);
  header.writeInt16LE(2, 254);
  sform.forEach((row, r) => row.forEach((v, c) => header.writeFloatLE(v, 280 + 16 * r + 4 * c)));
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.alloc(nx * ny * nz * bytes);
  const voxel = options.voxel ?? ((i, j, k) => i + 10 * j + 100 * k);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const at = (i + nx * (j + ny * k)) * bytes;
        if (isInt16) data.writeInt16LE(voxel(i, j, k), at);
        else data.writeUInt8(voxel(i, j, k), at);
      }
  const file = Buffer.concat([header, data]);
  return options.gzip === true ? gzipSync(file) : file;
}

/** A binary STL of the given triangles (each three [x, y, z] vertices). */
export function makeBinaryStl(triangles: number[][][]): Buffer {
  const out = Buffer.alloc(84 + 50 * triangles.length);
  out.write('binary stl written by a test', 0, 'latin1');
  out.writeUInt32LE(triangles.length, 80);
  triangles.forEach((triangle, t) => {
    const at = 84 + 50 * t + 12;
    triangle.forEach((vertex, v) =>
      vertex.forEach((x, c) => out.writeFloatLE(x, at + 12 * v + 4 * c)),
    );
  });
  return out;
}

/** The same triangles as an ASCII STL. */
export function makeAsciiStl(name: string, triangles: number[][][]): string {
  const facets = triangles.map(
    (t) =>
      `  facet normal 0 0 1\n    outer loop\n${t.map((v) => `      vertex ${v.join(' ')}\n`).join('')}    endloop\n  endfacet\n`,
  );
  return `solid ${name}\n${facets.join('')}endsolid ${name}\n`;
}

/** A tetrahedron spanning [0,0,0]..[10,20,30]. */
export const TETRAHEDRON = [
  [
    [0, 0, 0],
    [10, 0, 0],
    [0, 20, 0],
  ],
  [
    [0, 0, 0],
    [0, 20, 0],
    [0, 0, 30],
  ],
  [
    [0, 0, 0],
    [0, 0, 30],
    [10, 0, 0],
  ],
  [
    [10, 0, 0],
    [0, 20, 0],
    [0, 0, 30],
  ],
];
