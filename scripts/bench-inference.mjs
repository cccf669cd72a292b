#!/usr/bin/env node
// `npm run bench:inference`: the figures of the inference issue, printed, not asserted.
//  - per-slice latency and whole-volume time (inference + postprocessing) for a 155-slice MR
//    volume on this machine's CPU (goal: ≤ 5 s end to end);
//  - onnxruntime-node against Debian's PyTorch on the same model and inputs, same threads
//    (goal: ORT ≤ 0.7 × PyTorch);
//  - achieved GFLOP/s against the model's FLOP count.
// Needs `npm run build`, the model in models/lgg-flair-unet and, for the PyTorch comparison,
// /usr/bin/python3 with python3-torch and the training checkpoint (models/training/run_all.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = (p) => import(join(root, 'dist/src-main/core', p));
if (!existsSync(join(root, 'dist/src-main/core/core.js'))) {
  console.error('Build first: npm run build');
  process.exit(1);
}
const { createInferenceEngine } = await dist('inference/inference-engine.js');
const { createModelRegistry } = await dist('inference/model-registry.js');
const { memoryLogger } = await dist('platform/logger.js');
const { segmentVolume, thresholdMask } = await dist('analysis/pipeline/segment-volume.js');
const { removeSmallPerSlice } = await dist('analysis/pipeline/postprocess.js');
const { reorientToLps } = await dist('analysis/pipeline/reorient.js');
const { applyWindow, nonZeroPercentileWindow } = await dist('analysis/preprocess/intensity.js');
const { resizeBilinear } = await dist('analysis/preprocess/resize-bilinear.js');
const { extractDetections } = await dist('analysis/metrics/index.js');
const { readNiftiVolume } = await dist('imaging/nifti/nifti-volume.js');

const MODEL = 'lgg-flair-unet';
const threads = Math.min(4, availableParallelism());
const registry = createModelRegistry(join(root, 'models'));

/** A BraTS FLAIR volume from ../shared/data when present, else a synthetic head of the same size. */
function loadVolume() {
  const brats = join(root, '../shared/data/brats2018-3d-nifti');
  if (existsSync(brats)) {
    const caseId = readdirSync(brats).filter((d) => d.startsWith('Brats'))[0];
    const file = join(brats, caseId, `${caseId}_flair.nii.gz`);
    const nifti = readNiftiVolume(readFileSync(file), { maxBytes: 1 << 30 });
    const data = Float32Array.from(
      nifti.data,
      (v) => v * nifti.rescaleSlope + nifti.rescaleIntercept,
    );
    return {
      label: `BraTS ${caseId} FLAIR`,
      volume: { dims: nifti.dims, spacing: nifti.spacing, direction: nifti.direction.flat(), data },
    };
  }
  const dims = [240, 240, 155];
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const r = Math.hypot(x - 120, y - 120, (k - 77) * 1.4);
        data[x + dims[0] * (y + dims[1] * k)] =
          r < 90
            ? 300 +
              (Math.hypot(x - 90, y - 100, k - 80) < 18 ? 500 : 0) +
              ((x * 7 + y * 13 + k) % 50)
            : 0;
      }
  return {
    label: 'synthetic 240x240x155 head (../shared/data absent)',
    volume: { dims, spacing: [1, 1, 1], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data },
  };
}

const ms = (v) => `${v.toFixed(1)} ms`;
const { label, volume: source } = loadVolume();
const { volume } = reorientToLps(source);
const [nx, ny, nz] = volume.dims;
const engine = createInferenceEngine({
  registry,
  logger: memoryLogger(),
  preference: 'auto',
  threads,
});
const loaded = await engine.prepare(MODEL);
const { manifest } = loaded;
const { height, width } = manifest.input;
console.log(
  `Neurosphere inference benchmark — ${cpus()[0]?.model ?? 'CPU'} (${availableParallelism()} cores)`,
);
console.log(
  `model ${MODEL} ${manifest.version}, input ${height}x${width}, provider ${loaded.provider}, ${threads} threads`,
);
console.log(`volume: ${label}, ${nx}x${ny}x${nz}`);

// 1. End to end: normalise, resize, infer slice by slice, resize back, threshold, clean, measure.
await segmentVolume({
  engine,
  manifest,
  volume: { ...volume, data: volume.data.subarray(0, nx * ny * 2), dims: [nx, ny, 2] },
}); // warm-up
let t0 = performance.now();
const seg = await segmentVolume({ engine, manifest, volume, batchSize: 1 });
const mask = removeSmallPerSlice(
  thresholdMask(seg.probabilities, manifest.thresholds.probability ?? 0.5),
  volume.dims,
  manifest.thresholds.minComponentPixels ?? 10,
);
const detections = extractDetections({
  mask,
  dims: volume.dims,
  spacing: volume.spacing,
  probabilities: seg.probabilities,
  minComponentVoxels: 10,
  brainMask: volume.data,
});
const endToEnd = performance.now() - t0;
console.log(
  `\nEnd to end (${nz} slices): ${ms(endToEnd)} — goal ≤ 5000 ms: ${endToEnd <= 5000 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `  preprocess ${ms(seg.timings.preprocessMs)}, inference ${ms(seg.timings.inferenceMs)}, resize back ${ms(seg.timings.postprocessMs)}, clean + measure ${ms(endToEnd - seg.timings.preprocessMs - seg.timings.inferenceMs - seg.timings.postprocessMs)}`,
);
console.log(
  `  per slice: ${ms(seg.timings.inferenceMs / nz)} inference, ${ms(endToEnd / nz)} end to end; ${detections.length} lesion(s) found`,
);

// 2. The same preprocessed inputs through onnxruntime-node and PyTorch, slice by slice.
const window = nonZeroPercentileWindow(volume.data, 1, 99);
const normalised = applyWindow(volume.data, window);
const inputs = new Float32Array(nz * height * width);
for (let k = 0; k < nz; k++)
  resizeBilinear(
    normalised.subarray(k * nx * ny, (k + 1) * nx * ny),
    ny,
    nx,
    height,
    width,
    inputs.subarray(k * height * width, (k + 1) * height * width),
  );
let ortChecksum = 0;
t0 = performance.now();
for (let k = 0; k < nz; k++) {
  const slice = inputs.slice(k * height * width, (k + 1) * height * width);
  const out = await engine.run(MODEL, {
    [manifest.input.name]: { data: slice, dims: [1, 1, height, width] },
  });
  for (const v of Object.values(out.outputs)[0].data) ortChecksum += v;
}
const ortMsPerSlice = (performance.now() - t0) / nz;
await engine.close();
console.log(
  `\nonnxruntime-node: ${ms(ortMsPerSlice)} per slice (wall, including the worker round trip)`,
);

const python = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'ns-bench-'));
try {
  const inputFile = join(dir, 'inputs.f32');
  writeFileSync(inputFile, Buffer.from(inputs.buffer));
  const run = existsSync(python)
    ? spawnSync(
        python,
        [
          join(root, 'models/training/bench_torch.py'),
          '--input',
          inputFile,
          '--shape',
          String(nz),
          '1',
          String(height),
          String(width),
          '--threads',
          String(threads),
        ],
        { encoding: 'utf8' },
      )
    : null;
  const line = run?.stdout.trim().split('\n').pop() ?? '';
  const torch = line.startsWith('{') ? JSON.parse(line) : null;
  if (torch === null || torch.error !== undefined) {
    console.log(
      `PyTorch: not measured (${torch?.error ?? (run === null ? 'no /usr/bin/python3' : run.stderr.trim().split('\n').pop())})`,
    );
  } else {
    const ratio = ortMsPerSlice / torch.msPerSlice;
    console.log(
      `PyTorch ${torch.torch}: ${ms(torch.msPerSlice)} per slice, ${torch.threads} threads`,
    );
    console.log(
      `ORT / PyTorch = ${ratio.toFixed(2)} — goal ≤ 0.70: ${ratio <= 0.7 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `logit checksums: ORT ${ortChecksum.toFixed(2)}, PyTorch ${torch.checksum.toFixed(2)} (relative difference ${(Math.abs(ortChecksum - torch.checksum) / Math.max(1, Math.abs(torch.checksum))).toExponential(1)})`,
    );
    const gflop = torch.flopsPerSlice / 1e9;
    console.log(
      `\nModel cost: ${gflop.toFixed(2)} GFLOP per slice; achieved ${(gflop / (ortMsPerSlice / 1000)).toFixed(1)} GFLOP/s (ORT), ${(gflop / (torch.msPerSlice / 1000)).toFixed(1)} GFLOP/s (PyTorch)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
