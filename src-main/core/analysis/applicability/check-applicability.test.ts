import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelManifestSchema } from '../../../../src-shared/model-manifest.js';
import { appRoot } from '../../platform/version.js';
import { checkApplicability, describeSeries } from './check-applicability.js';
import type { ScanAttributes } from './scan-attributes.js';
import { inferSequence } from './series-description.js';

// The shipped FLAIR model's own declaration, so the test breaks if the manifest loosens.
const flair = modelManifestSchema.parse(
  JSON.parse(readFileSync(join(appRoot(), 'models/lgg-flair-unet/manifest.json'), 'utf8')),
).applicability!;

const axialFlair: ScanAttributes = {
  hasDicomHeader: true,
  modality: 'MR',
  bodyPart: 'BRAIN',
  sequence: 'FLAIR',
  description: 'AX FLAIR',
  plane: 'axial',
  isThreeD: true,
  isNearIsotropic: false,
  rows: 256,
  columns: 256,
  pixelSpacingMm: 0.9,
  imageType: ['ORIGINAL', 'PRIMARY'],
};

describe('sequence from a series description', () => {
  it.each([
    ['AX FLAIR', 'FLAIR'],
    ['t2_tirm_tra_dark-fluid', 'FLAIR'],
    ['T2 FLAIR AXIAL', 'FLAIR'],
    ['SAG T1 MPRAGE', 'T1'],
    ['AX T1 FS', 'T1'],
    ['AX T1 POST GD', 'T1-POST-CONTRAST'],
    ['T1+C', 'T1-POST-CONTRAST'],
    // NIfTI file names stand in for descriptions: BraTS and research exports.
    ['Brats18_2013_20_1_t1ce', 'T1-POST-CONTRAST'],
    ['sub-01_T1c', 'T1-POST-CONTRAST'],
    ['case_t1gd', 'T1-POST-CONTRAST'],
    ['Brats18_2013_20_1_t1', 'T1'],
    ['Brats18_2013_20_1_flair', 'FLAIR'],
    ['AX T2 TSE', 'T2'],
    ['DWI b1000', 'DWI'],
    ['LOCALIZER', null],
  ])('%s → %s', (text, expected) => {
    expect(inferSequence(text, {})).toBe(expected);
  });

  it('reads FLAIR from its physics when the name says nothing, and contrast from the agent', () => {
    expect(inferSequence('AX 3', { inversionTimeMs: 2500, repetitionTimeMs: 9000 })).toBe('FLAIR');
    expect(inferSequence('AX T1', { contrastAgent: 'GADOVIST' })).toBe('T1-POST-CONTRAST');
  });
});

describe('applicability of the FLAIR model', () => {
  it('accepts axial brain FLAIR MR', () => {
    expect(checkApplicability(flair, axialFlair)).toMatchObject({
      isApplicable: true,
      reason: null,
    });
  });

  it('refuses a chest radiograph in clinical words', () => {
    const chest: ScanAttributes = {
      ...axialFlair,
      modality: 'CR',
      bodyPart: 'CHEST',
      sequence: null,
      plane: 'coronal',
      isThreeD: false,
      rows: 512,
      columns: 512,
      pixelSpacingMm: 0.2,
    };
    const check = checkApplicability(flair, chest);
    expect(check.isApplicable).toBe(false);
    expect(check.reason).toMatch(/^This model reads axial brain FLAIR MR; this series is CR chest/);
    expect(check.mismatches).toEqual(
      expect.arrayContaining(['the modality is CR, not MR', 'the body part is chest']),
    );
  });

  it('refuses T1, T1 post-contrast and sagittal thick-slice series, not a thin 3D volume', () => {
    const t1 = checkApplicability(flair, { ...axialFlair, sequence: 'T1' });
    expect(t1.reason).toMatch(/this series is MR brain T1 \(axial\): the sequence is T1/);
    expect(
      checkApplicability(flair, { ...axialFlair, sequence: 'T1-POST-CONTRAST' }).mismatches,
    ).toEqual(['the sequence is T1 post-contrast']);
    expect(checkApplicability(flair, { ...axialFlair, plane: 'sagittal' }).mismatches).toEqual([
      'the slices are sagittal',
    ]);
    // A 1 mm isotropic volume is re-cut axially before reading: its plane does not matter.
    expect(
      checkApplicability(flair, { ...axialFlair, plane: 'sagittal', isNearIsotropic: true })
        .isApplicable,
    ).toBe(true);
  });

  it('refuses localizers, and images too small or with pixels too coarse', () => {
    const check = checkApplicability(flair, {
      ...axialFlair,
      imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
      rows: 32,
      columns: 32,
      pixelSpacingMm: 4,
    });
    expect(check.mismatches).toEqual([
      'it is a localizer',
      'its images are 32×32 pixels (the model reads 64 to 1024)',
      'its pixels are 4.00 mm (the model reads 0.3 to 2 mm)',
    ]);
  });

  it('lets a picture without metadata through: only a learned gate could tell', () => {
    const png: ScanAttributes = {
      ...axialFlair,
      hasDicomHeader: false,
      modality: null,
      bodyPart: null,
      sequence: null,
      description: null,
      plane: null,
      isThreeD: false,
      pixelSpacingMm: null,
      imageType: [],
    };
    const check = checkApplicability(flair, png);
    expect(check).toMatchObject({ isApplicable: true, checkedFrom: ['image-geometry'] });
    expect(describeSeries(png)).toBe('a 2D picture');
  });
});
