import type { SegmentationComparison } from '../../../../src-shared/contract/masks-patients.js';

/** Up to 3 significant digits, whole numbers from 100 on. */
function amount(value: number): string {
  const magnitude = Math.abs(value);
  return magnitude >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

const signed = (value: number, text: string): string => (value > 0 ? `+${text}` : text);

/** The comparison's figures as the panel shows them, each a short phrase. */
export interface ComparisonText {
  /** "Dice 0.44", or "Dice —" when both masks are empty. */
  readonly dice: string;
  /** "AI 0.192 mL · expert 0.24 mL" (voxels where there is no voxel size). */
  readonly volumes: string;
  /** "difference −0.048 mL (−20%)", the AI mask minus the expert's. */
  readonly difference: string;
}

export function comparisonText(c: SegmentationComparison): ComparisonText {
  const dice = c.dice === null ? 'Dice — (both masks empty)' : `Dice ${c.dice.toFixed(2)}`;
  const volumes =
    c.aiMl === null || c.expertMl === null
      ? `AI ${c.aiVoxels} voxels · expert ${c.expertVoxels} voxels`
      : `AI ${amount(c.aiMl)} mL · expert ${amount(c.expertMl)} mL`;
  const absolute =
    c.differenceMl === null
      ? signed(c.aiVoxels - c.expertVoxels, `${c.aiVoxels - c.expertVoxels} voxels`)
      : signed(c.differenceMl, `${amount(c.differenceMl)} mL`);
  const percent =
    c.differencePercent === null
      ? ''
      : ` (${signed(c.differencePercent, `${amount(c.differencePercent)}%`)})`;
  return { dice, volumes, difference: `difference ${absolute}${percent}`.replace(/-/g, '−') };
}
