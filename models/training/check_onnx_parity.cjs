#!/usr/bin/env node
// ONNX parity check: runs models/<id>/model.onnx with onnxruntime-node on the fixtures in
// models/<id>/parity/*.json (inputs + torch outputs, base64 little-endian float32) and prints the
// max abs difference per output. Also checks manifest.json's sha256 against model.onnx.
//
//   node models/training/check_onnx_parity.cjs [--models-dir DIR] [id ...]
//
// Exit code 0 when every output is within its fixture's tolerance (default 1e-3), 1 otherwise.
// Last line: PARITY_RESULT {json}
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const ort = require('onnxruntime-node');

function decode(b64) {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

async function checkModel(modelsDir, id) {
  const dir = path.join(modelsDir, id);
  const onnxPath = path.join(dir, 'model.onnx');
  const res = { id, ok: true, maxAbsDiff: 0, fixtures: 0, perOutput: {}, sha256Ok: null };
  const bytes = fs.readFileSync(onnxPath);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const manPath = path.join(dir, 'manifest.json');
  if (fs.existsSync(manPath)) {
    const man = JSON.parse(fs.readFileSync(manPath, 'utf8'));
    res.sha256Ok = man.sha256 === sha;
    if (!res.sha256Ok) {
      res.ok = false;
      console.log(`${id}: manifest sha256 ${man.sha256} != model.onnx ${sha}`);
    }
  }
  const session = await ort.InferenceSession.create(onnxPath);
  const pdir = path.join(dir, 'parity');
  const files = fs
    .readdirSync(pdir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const f of files) {
    const fx = JSON.parse(fs.readFileSync(path.join(pdir, f), 'utf8'));
    const tol = (fx.tolerance && fx.tolerance.maxAbsDiff) || 1e-3;
    const input = new ort.Tensor('float32', decode(fx.input.data), fx.input.shape);
    const out = await session.run({ [fx.input.name]: input });
    for (const [name, ref] of Object.entries(fx.outputs)) {
      const expected = decode(ref.data);
      const got = out[name];
      if (!got || got.data.length !== expected.length) {
        res.ok = false;
        console.log(`${id} ${f} ${name}: missing or wrong size`);
        continue;
      }
      let m = 0;
      for (let i = 0; i < expected.length; i++)
        m = Math.max(m, Math.abs(got.data[i] - expected[i]));
      res.perOutput[name] = Math.max(res.perOutput[name] || 0, m);
      res.maxAbsDiff = Math.max(res.maxAbsDiff, m);
      const pass = m <= tol;
      if (!pass) res.ok = false;
      console.log(
        `${id} ${f} ${name} [${got.dims.join(',')}]: max abs diff ${m.toExponential(2)} ${pass ? 'ok' : 'FAIL'}`,
      );
    }
    res.fixtures++;
  }
  if (res.fixtures === 0) res.ok = false;
  return res;
}

async function main() {
  const args = process.argv.slice(2);
  let modelsDir = path.resolve(__dirname, '..');
  const ids = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--models-dir') modelsDir = path.resolve(args[++i]);
    else ids.push(args[i]);
  }
  if (ids.length === 0) ids.push('lgg-flair-unet', 'brain-tumour-4class');
  const results = [];
  for (const id of ids) {
    try {
      results.push(await checkModel(modelsDir, id));
    } catch (e) {
      console.log(`${id}: ${e.message}`);
      results.push({ id, ok: false, error: String(e.message) });
    }
  }
  const ortVersion = (() => {
    try {
      return require('onnxruntime-node/package.json').version;
    } catch {
      return 'unknown';
    }
  })();
  const summary = {
    ok: results.every((r) => r.ok),
    maxAbsDiff: Math.max(...results.map((r) => r.maxAbsDiff ?? Infinity)),
    fixtures: results.reduce((s, r) => s + (r.fixtures || 0), 0),
    ortVersion,
    results,
  };
  console.log('PARITY_RESULT ' + JSON.stringify(summary));
  process.exit(summary.ok ? 0 : 1);
}

main();
