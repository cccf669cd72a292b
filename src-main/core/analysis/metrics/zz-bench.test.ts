import { test } from 'vitest';
import { buildPointTree } from './point-tree.js';
import { maxFeretDiameter } from './feret-diameter.js';
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
test('bench', () => {
  const random = seededRandom(11);
  const n = 100_000;
  const pts = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = 2 * random() - 1,
      phi = 2 * Math.PI * random(),
      s = Math.sqrt(1 - z * z);
    pts.set([30 * s * Math.cos(phi), 30 * s * Math.sin(phi), 30 * z], 3 * i);
  }
  for (let rep = 0; rep < 3; rep++) {
    let c = process.cpuUsage();
    let t = performance.now();
    buildPointTree(pts, 16);
    const build = performance.now() - t;
    const buildCpu = process.cpuUsage(c);
    c = process.cpuUsage();
    t = performance.now();
    maxFeretDiameter(pts);
    const cpu = process.cpuUsage(c);
    console.log(
      `build ${build.toFixed(0)} cpu ${((buildCpu.user + buildCpu.system) / 1000).toFixed(0)} | total ${(performance.now() - t).toFixed(0)} cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)}`,
    );
  }
});
import { marchingCubes } from './marching-cubes.js';
import { meshComponentSurface } from './component-surface.js';
import { labelConnectedComponents } from './connected-components.js';
import { measureComponentExtents } from './bounding-box.js';
import { maskAroundShape, sphereShape } from './testing/synthetic-masks.js';
test('mesh bench', () => {
  for (const sp of [
    [0.5, 0.5, 0.5],
    [0.4, 0.4, 0.4],
  ] as const) {
    const v = maskAroundShape([30, 30, 30], sp, sphereShape(30));
    let c = process.cpuUsage();
    const { labels, sizes } = labelConnectedComponents(v.mask, v.dims);
    const [e] = measureComponentExtents(labels, v.dims, sizes.length);
    const lab = process.cpuUsage(c);
    c = process.cpuUsage();
    const surf = meshComponentSurface({
      labels,
      dims: v.dims,
      label: 1,
      box: e!.box,
      voxelCount: e!.voxelCount,
      spacing: sp,
    });
    const mc = process.cpuUsage(c);
    c = process.cpuUsage();
    const f = maxFeretDiameter(surf.mesh.positions);
    const fc = process.cpuUsage(c);
    console.log(
      `sp ${sp} dims ${v.dims} verts ${surf.mesh.positions.length / 3} label ${(lab.user / 1000).toFixed(0)} surface ${(mc.user / 1000).toFixed(0)} feret ${(fc.user / 1000).toFixed(0)} d=${f.diameter.toFixed(3)}`,
    );
  }
});
