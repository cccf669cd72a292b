import { describe, expect, it } from 'vitest';
import { isRadiographCandidate } from './radiograph.js';

describe('which scans offer X-ray readings', () => {
  it('offers them for CR/DX series and single pictures, not for MR or CT volumes', () => {
    expect(isRadiographCandidate({ modality: 'CR', kind: 'series' })).toBe(true);
    expect(isRadiographCandidate({ modality: 'DX', kind: 'series' })).toBe(true);
    expect(isRadiographCandidate({ modality: null, kind: 'image' })).toBe(true);
    expect(isRadiographCandidate({ modality: 'MR', kind: 'series' })).toBe(false);
    expect(isRadiographCandidate({ modality: 'CT', kind: 'volume' })).toBe(false);
    expect(isRadiographCandidate({ modality: null, kind: 'volume' })).toBe(false);
  });
});
