/** Deterministic noise in -0.5..0.5 for pixel (x, y): film grain and vessel texture. */
function grain(x: number, y: number): number {
  const s = Math.sin(x * 12.9898 * 997 + y * 78.233 * 991) * 43758.5453;
  return s - Math.floor(s) - 0.5;
}

function smoothstep(edge0: number, edge1: number, v: number): number {
  const t = Math.min(1, Math.max(0, (v - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * A synthetic frontal chest radiograph, 0..1 with bright = dense (as MONOCHROME2 shows it):
 * the trunk filling the picture with the arms at the edges, two large lung fields with curved
 * ribs and vessel texture, the spine and the heart between them, clavicles above and the
 * diaphragm below; soft edges throughout. (x, y) are in 0..1 of the width and height.
 */
export function chestDensity(x: number, y: number): number {
  const dx = x - 0.5;
  // Soft tissue: brighter towards the arms and the abdomen.
  let value = 0.7 + 0.8 * dx * dx + 0.15 * smoothstep(0.75, 1, y);
  // Air above the shoulders, beside the neck.
  const shoulder = 0.1 + 0.9 * Math.max(0, Math.abs(dx) - 0.12) ** 2;
  value *= smoothstep(shoulder - 0.04, shoulder + 0.04, y) * 0.85 + 0.15;
  if (Math.abs(dx) < 0.1) value = Math.max(value, 0.7);
  for (const side of [-1, 1]) {
    const cx = 0.5 + side * 0.2;
    const d = ((x - cx) / 0.18) ** 2 + ((y - 0.5) / 0.36) ** 2;
    const lung = 1 - smoothstep(0.75, 1.05, d);
    const ribPhase = (y + 0.9 * (x - cx) * (x - cx) * 4 - 0.1 * side * (x - cx)) * 16;
    const rib = smoothstep(0.7, 0.9, Math.abs(Math.sin(ribPhase * Math.PI))) * 0.1;
    const vessels = 0.07 * grain(x * 4, y * 4) + 0.05 * (1 - Math.abs(x - cx) / 0.18);
    const inside = 0.34 + 0.12 * d + rib + vessels;
    value = value * (1 - lung) + inside * lung;
  }
  // Heart shadow, more to the patient's left (the picture's right), and the spine.
  const heart = ((x - 0.55) / 0.14) ** 2 + ((y - 0.66) / 0.18) ** 2;
  value = Math.max(value, 0.75 * (1 - smoothstep(0.8, 1.1, heart)));
  value = Math.max(value, 0.78 * (1 - smoothstep(0.04, 0.06, Math.abs(dx))));
  const clavicle = Math.abs(y - (0.2 + 0.25 * dx * dx)) < 0.012 && Math.abs(dx) < 0.32;
  if (clavicle) value = Math.max(value, 0.8);
  value = Math.max(value, 0.8 * smoothstep(0.84, 0.9, y + 0.06 * Math.cos(dx * 8)));
  return Math.min(1, Math.max(0, value + 0.03 * grain(x, y)));
}

/** The radiograph as stored samples: `maxValue` steps, inverted for MONOCHROME1. */
export function chestPixel(
  rows: number,
  columns: number,
  maxValue: number,
  isMonochrome1 = false,
): (row: number, column: number) => number {
  return (r, c) => {
    const density = chestDensity(c / columns, r / rows);
    return Math.round((isMonochrome1 ? 1 - density : density) * maxValue);
  };
}
