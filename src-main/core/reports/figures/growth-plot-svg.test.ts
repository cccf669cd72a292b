import { describe, expect, it } from 'vitest';
import { growthPlotSvg, niceScale } from './growth-plot-svg.js';
import { lesionGrowth, type GrowthLesionInput } from './lesion-growth.js';

const lesion = (detectionId: string, z: number, volume_mm3: number): GrowthLesionInput => ({
  detectionId,
  centroidPatientMm: [0, 0, z],
  volume_mm3,
  maxDiameter_mm: 10,
  longestAxial_mm: 10,
  perpendicularAxial_mm: 8,
});

const growth = lesionGrowth([
  { id: 'a', date: '2024-01-01', lesions: [lesion('det-1', 0, 1000), lesion('det-2', 60, 200)] },
  { id: 'b', date: '2024-03-01', lesions: [lesion('det-1', 2, 1500), lesion('det-2', -60, 300)] },
]);

/** Every element of a kind, as attribute maps. */
function elements(svg: string, name: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${name} ([^>]*?)/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

describe('growthPlotSvg', () => {
  it('draws each lesion’s volume over time on labelled axes, at the right coordinates', () => {
    const svg = growthPlotSvg(growth)!;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="420" height="200"')).toBe(
      true,
    );
    expect(svg.endsWith('</svg>')).toBe(true);
    // Plot area x 48..324, y 164 (0 mL)..22 (top); the largest volume is 1.5 mL: ticks 0..1.5.
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(
      expect.arrayContaining([
        '0.0',
        '0.5',
        '1.0',
        '1.5',
        'Volume (mL)',
        'Study date',
        '2024-01-01',
        '2024-03-01',
      ]),
    );
    expect(texts).toEqual(expect.arrayContaining(['L1', 'L2 (new)', 'L3 (not seen)']));
    const lines = elements(svg, 'polyline').map((p) => p['points']);
    // L1: 1.0 → 1.5 mL; L3: 0.2 mL → not seen (0). L2 appears only at the last study: a dot.
    const y = (mL: number): number => Math.round((164 - (mL / 1.5) * 142) * 100) / 100;
    expect(lines).toEqual([`48,${y(1)} 324,22`, `48,${y(0.2)} 324,164`]);
    const dots = elements(svg, 'circle');
    expect(dots).toHaveLength(5);
    expect(dots.filter((d) => d['fill'] === '#ffffff')).toEqual([
      expect.objectContaining({ cx: '324', cy: '164' }),
    ]);
  });

  it('is plain SVG a PDF library can draw: no CSS, no script, text escaped', () => {
    const named = lesionGrowth([
      { id: 'a', date: '2024-01-01<b>', lesions: [lesion('det-1', 0, 1000)] },
    ]);
    const svg = growthPlotSvg(named)!;
    expect(svg).not.toMatch(/<style|class=|style=|<script/);
    expect(svg).toContain('2024-01-01');
    expect(svg).not.toContain('<b>');
    // One study: the dot sits in the middle of the plot.
    expect(elements(svg, 'circle')[0]).toMatchObject({ cx: '186' });
  });

  it('has nothing to draw without lesions', () => {
    expect(growthPlotSvg(lesionGrowth([{ id: 'a', date: '2024-01-01', lesions: [] }]))).toBeNull();
  });

  it('picks round axis tops', () => {
    expect(niceScale(1.5)).toEqual({ top: 1.5, step: 0.5 });
    expect(niceScale(37)).toEqual({ top: 40, step: 10 });
    expect(niceScale(0.07)).toEqual({ top: 0.08, step: 0.02 });
    expect(niceScale(0)).toEqual({ top: 1, step: 0.25 });
  });
});
