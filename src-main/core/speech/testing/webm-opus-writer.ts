import OpusScript from 'opusscript';

// Writes test recordings the way MediaRecorder does: Opus at 48 kHz in a WebM file. The encoder
// is libopus (opusscript); the container is written here, element by element.

const OPUS_RATE = 48_000;
const FRAME = 960; // 20 ms at 48 kHz

function vintSize(size: number): Uint8Array {
  // Eight-byte sizes: every element fits, and the writer stays simple.
  const out = new Uint8Array(8);
  out[0] = 0x01;
  let rest = size;
  for (let i = 7; i >= 1; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function idBytes(id: number): Uint8Array {
  const bytes: number[] = [];
  let rest = id;
  while (rest > 0) {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function element(id: number, ...children: Uint8Array[]): Uint8Array {
  const body = concat(children);
  return concat([idBytes(id), vintSize(body.length), body]);
}

function uint(value: number, bytes = 4): Uint8Array {
  const out = new Uint8Array(bytes);
  let rest = value;
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function float64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value);
  return out;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function opusHead(preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(text('OpusHead'), 0);
  const view = new DataView(head.buffer);
  head[8] = 1;
  head[9] = 1;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, OPUS_RATE, true);
  return head;
}

/** Linear resampling; enough for speech going up to 48 kHz. */
export function resampleLinear(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const out = new Float32Array(Math.floor((samples.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const x = (i * from) / to;
    const j = Math.floor(x);
    const f = x - j;
    out[i] = (samples[j] ?? 0) * (1 - f) + (samples[j + 1] ?? samples[j] ?? 0) * f;
  }
  return out;
}

/** Encodes mono samples as a WebM/Opus file (48 kHz, 20 ms frames, in one cluster per 5 s). */
export function encodeWebmOpus(
  samples: Float32Array,
  sampleRate: number,
  bitrate = 32_000,
): Uint8Array {
  const pcm = resampleLinear(samples, sampleRate, OPUS_RATE);
  const encoder = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP, { wasm: true });
  encoder.setBitrate(bitrate);
  const preSkip = 312;
  const clusters: Uint8Array[] = [];
  let blocks: Uint8Array[] = [];
  let clusterStartMs = 0;
  try {
    for (let start = 0, index = 0; start < pcm.length; start += FRAME, index++) {
      const frame = Buffer.alloc(FRAME * 2);
      for (let i = 0; i < FRAME; i++) {
        const s = Math.max(-1, Math.min(1, pcm[start + i] ?? 0));
        frame.writeInt16LE(Math.round(s * 32767), i * 2);
      }
      const packet = encoder.encode(frame, FRAME);
      const ms = index * 20;
      if (ms - clusterStartMs >= 5000) {
        clusters.push(element(0x1f43b675, element(0xe7, uint(clusterStartMs)), ...blocks));
        blocks = [];
        clusterStartMs = ms;
      }
      const header = new Uint8Array(4);
      header[0] = 0x81; // track 1
      new DataView(header.buffer).setInt16(1, ms - clusterStartMs);
      header[3] = 0x80; // keyframe, no lacing
      blocks.push(element(0xa3, header, Uint8Array.from(packet)));
    }
  } finally {
    encoder.delete();
  }
  clusters.push(element(0x1f43b675, element(0xe7, uint(clusterStartMs)), ...blocks));
  const header = element(
    0x1a45dfa3,
    element(0x4286, uint(1, 1)),
    element(0x42f7, uint(1, 1)),
    element(0x42f2, uint(4, 1)),
    element(0x42f3, uint(8, 1)),
    element(0x4282, text('webm')),
    element(0x4287, uint(4, 1)),
    element(0x4285, uint(2, 1)),
  );
  const info = element(
    0x1549a966,
    element(0x2ad7b1, uint(1_000_000)),
    element(0x4d80, text('neurosphere-test')),
  );
  const tracks = element(
    0x1654ae6b,
    element(
      0xae,
      element(0xd7, uint(1, 1)),
      element(0x73c5, uint(1, 4)),
      element(0x83, uint(2, 1)),
      element(0x86, text('A_OPUS')),
      element(0x63a2, opusHead(preSkip)),
      element(0xe1, element(0xb5, float64(OPUS_RATE)), element(0x9f, uint(1, 1))),
    ),
  );
  return concat([header, element(0x18538067, info, tracks, ...clusters)]);
}
