import { describe, expect, it } from 'vitest';
import type { SegmentationComparison } from '../../../../src-shared/contract/masks-patients.js';
import { comparisonText } from './comparison-text.js';
import { paintedSliceRgba } from './label-overlay.js';
import { nextLesionIndex } from './lesion-keys.js';
import {
  AI_MASK_COLOUR,
  aiLegend,
  expertLabelName,
  expertLegend,
  paintLayer,
  styleKey,
} from './mask-legend.js';

describe('the mask legend', () => {
  it('names BraTS labels, enhancing tumour numbered 4 or (BraTS 2023) 3', () => {
    expect([1, 2, 4].map((l) => expertLabelName(l, [1, 2, 4]))).toEqual([
      'Necrotic / non-enhancing tumour core (1)',
      'Peritumoural oedema (2)',
      'Enhancing tumour (4)',
    ]);
    expect(expertLabelName(3, [1, 2, 3])).toBe('Enhancing tumour (3)');
    expect(expertLabelName(3, [1, 2, 3, 4])).toBe('Non-enhancing tumour (3, older BraTS)');
    expect(expertLabelName(7, [1, 7])).toBe('Label 7');
  });

  it('gives the AI mask and every expert label colours of their own', () => {
    const colours = [...aiLegend(), ...expertLegend('seg', [1, 2, 4])].map((e) =>
      e.colour.join(','),
    );
    expect(new Set(colours).size).toBe(4);
    expect(aiLegend()[0]!.colour).toEqual(AI_MASK_COLOUR);
    expect(expertLegend('seg', [1, 2, 3])[2]!.colour).toEqual(
      expertLegend('s', [1, 2, 4])[2]!.colour,
    );
  });

  it('paints each source in its own colours, hidden labels left out, at each label’s opacity', () => {
    const volume = { columns: 2, rows: 2, frames: 1, data: Uint8Array.from([1, 2, 4, 0]) };
    const legend = [...aiLegend(), ...expertLegend('seg', [1, 2, 4])];
    const styles = {
      [styleKey('seg', 2)]: { visible: false, opacity: 0.4 },
      [styleKey('seg', 4)]: { visible: true, opacity: 1 },
    };
    const expert = paintedSliceRgba(volume, 0, paintLayer('seg', volume, legend, styles).palette)!;
    expect([...expert.slice(0, 4)]).toEqual([...legend[1]!.colour, 102]); // label 1 at 40 %
    expect(expert[7]).toBe(0); // oedema hidden
    expect([...expert.slice(8, 12)]).toEqual([...legend[3]!.colour, 255]);
    expect(expert[15]).toBe(0);
    // The AI layer paints label 1 cyan, not in the expert's label-1 colour.
    const ai = paintedSliceRgba(volume, 0, paintLayer('analysis', volume, legend, styles).palette)!;
    expect([...ai.slice(0, 3)]).toEqual([...AI_MASK_COLOUR]);
    expect(ai[7]).toBe(0);
  });
});

describe('lesion stepping', () => {
  it('starts at the first (next) or last (previous) and wraps round', () => {
    expect(nextLesionIndex(-1, 1, 3)).toBe(0);
    expect(nextLesionIndex(-1, -1, 3)).toBe(2);
    expect(nextLesionIndex(2, 1, 3)).toBe(0);
    expect(nextLesionIndex(0, -1, 3)).toBe(2);
    expect(nextLesionIndex(-1, 1, 0)).toBe(-1);
  });
});

describe('the comparison text', () => {
  const base: SegmentationComparison = {
    scanId: '00000000-0000-4000-8000-000000000001',
    segmentationId: '00000000-0000-4000-8000-000000000002',
    region: 'Whole tumour',
    dice: 16 / 36,
    aiVoxels: 16,
    expertVoxels: 20,
    overlapVoxels: 8,
    voxelMl: 0.012,
    aiMl: 0.192,
    expertMl: 0.24,
    differenceMl: -0.048,
    differencePercent: -20,
  };
  it('shows Dice, both volumes and the signed difference in mL and %', () => {
    expect(comparisonText(base)).toEqual({
      dice: 'Dice 0.44',
      volumes: 'AI 0.192 mL · expert 0.24 mL',
      difference: 'difference −0.048 mL (−20%)',
    });
    expect(comparisonText({ ...base, differenceMl: 12.5, differencePercent: 150 }).difference).toBe(
      'difference +12.5 mL (+150%)',
    );
  });
  it('falls back to voxels without a voxel size, and says when both masks are empty', () => {
    const text = comparisonText({
      ...base,
      voxelMl: null,
      aiMl: null,
      expertMl: null,
      differenceMl: null,
    });
    expect(text.volumes).toBe('AI 16 voxels · expert 20 voxels');
    expect(text.difference).toBe('difference −4 voxels (−20%)');
    expect(comparisonText({ ...base, dice: null }).dice).toBe('Dice — (both masks empty)');
  });
});
