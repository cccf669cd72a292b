#!/usr/bin/env node
// Runs an ONNX classifier with onnxruntime-node over preprocessed inputs and writes its `logits`.
// Used by evaluate_classifier.py to score a previous model.onnx (there is no onnxruntime for
// Debian's Python) on the current test split with exactly the app's runtime.
//
//   node models/training/onnx_logits.cjs MODEL.onnx INPUT.f32 N C H W OUTPUT.f32
//
// INPUT.f32: little-endian float32 [N,C,H,W]; OUTPUT.f32: little-endian float32 [N,K] logits.
'use strict';
const fs = require('node:fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, n, c, h, w, output] = process.argv.slice(2);
  if (!output) {
    console.error('usage: onnx_logits.cjs MODEL.onnx INPUT.f32 N C H W OUTPUT.f32');
    process.exit(2);
  }
  const [N, C, H, W] = [n, c, h, w].map(Number);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  if (data.length !== N * C * H * W)
    throw new Error(`input holds ${data.length} floats, expected ${N * C * H * W}`);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
  const per = C * H * W;
  const chunks = [];
  for (let i = 0; i < N; i += 32) {
    const b = Math.min(32, N - i);
    const x = new ort.Tensor('float32', data.slice(i * per, (i + b) * per), [b, C, H, W]);
    const out = await session.run({ [session.inputNames[0]]: x });
    chunks.push(Float32Array.from(out.logits.data));
  }
  const total = chunks.reduce((s, a) => s + a.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const a of chunks) {
    all.set(a, o);
    o += a.length;
  }
  fs.writeFileSync(output, Buffer.from(all.buffer));
  console.log(`wrote ${N} x ${total / N} logits to ${output}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
