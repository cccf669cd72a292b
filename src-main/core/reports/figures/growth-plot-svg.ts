import type { LesionGrowth } from './lesion-growth.js';

export interface GrowthPlotOptions {
  /** Size of the whole picture in SVG units (points when pdfmake embeds it at that width). */
  width?: number;
  height?: number;
}

/** Line colours, told apart in print and by colour-blind readers (Okabe-Ito). */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const MARGIN = { left: 48, right: 96, top: 22, bottom: 36 };
const FONT_SIZE = 9;

/**
 * A small line plot of each lesion's volume (mL) over the study dates: one polyline per lesion,
 * a dot where it was measured (a lesion not seen counts as 0 once it has appeared), axes with
 * ticks and labels, a legend. Plain SVG (lines, polylines, circles, text, no CSS), which pdfmake's
 * `svg` node and a browser both draw. Null when there is nothing to plot (no lesion).
 */
export function growthPlotSvg(
  growth: LesionGrowth,
  options: GrowthPlotOptions = {},
): string | null {
  const width = options.width ?? 420;
  const height = options.height ?? 200;
  if (growth.tracks.length === 0 || growth.timepoints.length === 0) return null;
  const plot = {
    x0: MARGIN.left,
    x1: width - MARGIN.right,
    y0: height - MARGIN.bottom,
    y1: MARGIN.top,
  };
  const days = growth.timepoints.map((t) => Date.parse(t.date.slice(0, 10)) / 86_400_000);
  const [first, last] = [Math.min(...days), Math.max(...days)];
  const xOf = (day: number): number =>
    last === first
      ? (plot.x0 + plot.x1) / 2
      : plot.x0 + ((day - first) / (last - first)) * (plot.x1 - plot.x0);
  const largest = Math.max(
    ...growth.tracks.flatMap((t) => t.points.map((p) => p.volume_mm3 / 1000)),
  );
  const { top, step } = niceScale(largest);
  const yOf = (mL: number): number => plot.y0 - (mL / top) * (plot.y0 - plot.y1);

  const parts: string[] = [];
  const text = (
    x: number,
    y: number,
    content: string,
    anchor: 'start' | 'middle' | 'end',
    fill = '#333333',
  ): string =>
    `<text x="${n(x)}" y="${n(y)}" font-size="${FONT_SIZE}" text-anchor="${anchor}" fill="${fill}">${escapeXml(content)}</text>`;
  // Grid and y axis ticks.
  for (let value = 0; value <= top + step / 2; value += step) {
    const y = yOf(value);
    parts.push(
      `<line x1="${n(plot.x0)}" y1="${n(y)}" x2="${n(plot.x1)}" y2="${n(y)}" stroke="#dddddd" stroke-width="0.5"/>`,
    );
    parts.push(text(plot.x0 - 4, y + 3, formatTick(value, step), 'end'));
  }
  parts.push(
    `<line x1="${n(plot.x0)}" y1="${n(plot.y0)}" x2="${n(plot.x1)}" y2="${n(plot.y0)}" stroke="#333333" stroke-width="1"/>`,
  );
  parts.push(
    `<line x1="${n(plot.x0)}" y1="${n(plot.y0)}" x2="${n(plot.x0)}" y2="${n(plot.y1)}" stroke="#333333" stroke-width="1"/>`,
  );
  parts.push(text(plot.x0, MARGIN.top - 10, 'Volume (mL)', 'start'));
  // Date ticks: every study, labels thinned so they do not overlap (about 60 units each).
  const labelEvery = Math.max(1, Math.ceil((growth.timepoints.length * 60) / (plot.x1 - plot.x0)));
  growth.timepoints.forEach((timepoint, i) => {
    const x = xOf(days[i]!);
    parts.push(
      `<line x1="${n(x)}" y1="${n(plot.y0)}" x2="${n(x)}" y2="${n(plot.y0 + 3)}" stroke="#333333" stroke-width="1"/>`,
    );
    const isLast = i === growth.timepoints.length - 1;
    if (i % labelEvery === 0 || (isLast && (i % labelEvery) * 2 >= labelEvery))
      parts.push(text(x, plot.y0 + 13, timepoint.date.slice(0, 10), 'middle'));
  });
  parts.push(text((plot.x0 + plot.x1) / 2, height - 4, 'Study date', 'middle'));
  // One line per lesion, from the time point it first appears.
  growth.tracks.forEach((track, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const from = track.points.findIndex((p) => p.seen);
    const shown = track.points.slice(from).map((p, k) => ({
      x: xOf(days[from + k]!),
      y: yOf(p.volume_mm3 / 1000),
      seen: p.seen,
    }));
    if (shown.length > 1)
      parts.push(
        `<polyline points="${shown.map((p) => `${n(p.x)},${n(p.y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
      );
    for (const p of shown)
      parts.push(
        p.seen
          ? `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="2.5" fill="${colour}"/>`
          : `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="2.5" fill="#ffffff" stroke="${colour}" stroke-width="1"/>`,
      );
    const legendY = plot.y1 + 4 + index * 13;
    const label = `${track.trackId}${track.isNew ? ' (new)' : ''}${track.hasVanished ? ' (not seen)' : ''}`;
    parts.push(
      `<line x1="${n(plot.x1 + 10)}" y1="${n(legendY)}" x2="${n(plot.x1 + 24)}" y2="${n(legendY)}" stroke="${colour}" stroke-width="2"/>`,
    );
    parts.push(text(plot.x1 + 28, legendY + 3, label, 'start'));
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...parts,
    '</svg>',
  ].join('\n');
}

/** A round top for the axis and a step giving 4-5 ticks (1, 2 or 5 × a power of ten). */
export function niceScale(largest: number): { top: number; step: number } {
  if (!(largest > 0)) return { top: 1, step: 0.25 };
  const rough = largest / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return { top: Math.ceil(largest / step - 1e-9) * step, step };
}

function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals);
}

/** Coordinates with at most two decimals: short, and exact enough for print. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
