/**
 * Colour for a heat value 0..1 on a perceptually ordered dark-blue → red → yellow scale
 * ("inferno"-like, 6 anchor points), readable on a dark reading-room screen.
 */
const ANCHORS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 4],
  [40, 11, 84],
  [101, 21, 110],
  [187, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

export function heatColour(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * (ANCHORS.length - 1);
  const i = Math.min(ANCHORS.length - 2, Math.floor(v));
  const t = v - i;
  const a = ANCHORS[i]!;
  const b = ANCHORS[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * t),
    Math.round(a[1] + (b[1] - a[1]) * t),
    Math.round(a[2] + (b[2] - a[2]) * t),
  ];
}

/** An RGB heatmap image of `heat` (0..1 per pixel). */
export function heatmapRgb(heat: Float32Array): Uint8Array {
  const out = new Uint8Array(heat.length * 3);
  for (let i = 0; i < heat.length; i++) out.set(heatColour(heat[i]!), i * 3);
  return out;
}

/**
 * The grey image with the heatmap blended on top where it is warm (alpha grows with heat),
 * so anatomy stays visible under cold regions.
 */
export function overlayRgb(grey: Uint8Array, heat: Float32Array, maxAlpha = 0.6): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const h = Math.min(1, Math.max(0, heat[i]!));
    const [r, g, b] = heatColour(h);
    const alpha = maxAlpha * h;
    const base = grey[i]!;
    out[i * 3] = Math.round(base * (1 - alpha) + r * alpha);
    out[i * 3 + 1] = Math.round(base * (1 - alpha) + g * alpha);
    out[i * 3 + 2] = Math.round(base * (1 - alpha) + b * alpha);
  }
  return out;
}
