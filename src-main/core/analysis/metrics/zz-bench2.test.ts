import { test } from 'vitest';
import { cellsCrossingLevels, marchingCubes } from './marching-cubes.js';
import { gaussianSmoothInPlace } from './gaussian-smoothing.js';
import { cropComponent } from './component-crop.js';
import { labelConnectedComponents } from './connected-components.js';
import { measureComponentExtents } from './bounding-box.js';
import { maskAroundShape, sphereShape } from './testing/synthetic-masks.js';
const cpu = (f: () => unknown, label: string) => {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = f();
  const u = process.cpuUsage(c);
  console.log(
    `${label}: cpu ${(u.user / 1000).toFixed(0)} wall ${(performance.now() - t).toFixed(0)}`,
  );
  return r;
};
test('surface bench', () => {
  const sp = [0.4, 0.4, 0.4] as const;
  const v = maskAroundShape([30, 30, 30], sp, sphereShape(30));
  const { labels, sizes } = labelConnectedComponents(v.mask, v.dims);
  const [e] = measureComponentExtents(labels, v.dims, sizes.length);
  for (let rep = 0; rep < 2; rep++) {
    const crop = cpu(
      () => cropComponent(labels, v.dims, 1, e!.box, [4, 4, 4]),
      'crop',
    ) as ReturnType<typeof cropComponent>;
    cpu(() => gaussianSmoothInPlace(crop.field, crop.dims, [0.8, 0.8, 0.8]), 'smooth');
    const cells = cpu(
      () => cellsCrossingLevels(crop.field, crop.dims, 0, 0.999),
      'cells',
    ) as Uint32Array;
    console.log('cells', cells.length, crop.field.length);
    cpu(
      () => marchingCubes({ field: crop.field, dims: crop.dims, isoLevel: 0.47, spacing: sp }),
      'mc full',
    );
    cpu(
      () =>
        marchingCubes({ field: crop.field, dims: crop.dims, isoLevel: 0.47, spacing: sp, cells }),
      'mc cells',
    );
  }
});
