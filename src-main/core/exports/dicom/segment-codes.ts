import type { NaturalDataset } from 'dcmjs';
import { code } from './part10.js';

/** What a segment is, in codes a PACS and other viewers understand (PS3.16 CID 7150/7151). */
export interface SegmentCodes {
  category: NaturalDataset;
  type: NaturalDataset;
}

const ABNORMAL = code('49755003', 'SCT', 'Morphologically abnormal structure');

/**
 * SNOMED CT codes for the labels brain tumour models name (lower-cased, British or American
 * spelling). A label not listed is coded as what it certainly is, a morphologically abnormal
 * structure, and keeps its own words in SegmentLabel and SegmentDescription.
 */
const BY_LABEL: ReadonlyArray<{ words: RegExp; codes: SegmentCodes }> = [
  {
    words: /^(tumou?r|lesion|neoplasm|glioma)$/,
    codes: { category: ABNORMAL, type: code('108369006', 'SCT', 'Neoplasm') },
  },
  {
    words: /^(o?edema|peritumou?ral o?edema)$/,
    codes: { category: ABNORMAL, type: code('79654002', 'SCT', 'Edema') },
  },
  {
    words: /^(necrosis|necrotic core|necrotic)$/,
    codes: { category: ABNORMAL, type: code('6574001', 'SCT', 'Necrosis') },
  },
];

export function segmentCodesOf(label: string): SegmentCodes {
  const key = label.trim().toLowerCase();
  return (
    BY_LABEL.find((entry) => entry.words.test(key))?.codes ?? { category: ABNORMAL, type: ABNORMAL }
  );
}
