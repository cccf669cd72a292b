import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelManifestSchema, type ModelManifest } from '../../../../src-shared/model-manifest.js';
import { appRoot } from '../../platform/version.js';
import type { GateVerdict } from '../applicability/image-gate.js';
import { attributeVerdict, gateVerdict } from '../applicability/pipeline-applicability.js';
import type { ScanAttributes } from '../applicability/scan-attributes.js';
import { brainMrTumourPipeline } from '../pipelines/brain-mr-tumour/index.js';
import { majorityVerdict } from './learned-image-gate.js';
import type { GateReading } from './sequence-gate.js';

// The wiring rules of docs/sequence-gate.md, with the shipped manifests of the brain pipeline.
const shipped = (id: string): ModelManifest =>
  modelManifestSchema.parse(
    JSON.parse(readFileSync(join(appRoot(), 'models', id, 'manifest.json'), 'utf8')),
  );
const manifests = new Map([
  ['tumour-segmentation', shipped('lgg-flair-unet')],
  ['tumour-type', shipped('brain-tumour-4class')],
]);

const reading = (label: string, probability: number): GateReading => ({
  label,
  probability,
  probabilities: { [label]: probability },
  confident: probability >= 0.6,
});

/** A PNG: nothing known but its size. */
const png: ScanAttributes = {
  hasDicomHeader: false,
  modality: null,
  bodyPart: null,
  sequence: null,
  description: null,
  plane: null,
  isThreeD: false,
  isNearIsotropic: false,
  rows: 256,
  columns: 256,
  pixelSpacingMm: null,
  imageType: [],
};
const flairSeries: ScanAttributes = {
  ...png,
  hasDicomHeader: true,
  modality: 'MR',
  bodyPart: 'BRAIN',
  sequence: 'FLAIR',
  description: 'AX FLAIR',
  plane: 'axial',
  isThreeD: true,
};

function verdictOn(attributes: ScanAttributes, seen: GateVerdict | null) {
  const byAttributes = attributeVerdict(brainMrTumourPipeline, manifests, attributes);
  return gateVerdict(byAttributes, brainMrTumourPipeline, manifests, attributes, seen);
}

describe('the majority of the gate over central slices', () => {
  it('takes the label of more than half of the slices, confident on its mean probability', () => {
    const oddSlice: GateReading = {
      ...reading('other', 0.7),
      probabilities: { other: 0.7, 'chest-xray': 0.2 },
    };
    const chest = majorityVerdict(
      [reading('chest-xray', 0.9), reading('chest-xray', 0.8), oddSlice],
      0.6,
    );
    expect(chest).toMatchObject({
      looksLike: 'a chest radiograph',
      bodyPart: 'CHEST',
      isConfident: true,
    });
    expect(chest?.confidence).toBeCloseTo(1.9 / 3, 6);
    // A majority of unsure slices is no confident answer.
    expect(
      majorityVerdict([reading('chest-xray', 0.55), reading('chest-xray', 0.5), oddSlice], 0.6),
    ).toMatchObject({ looksLike: 'a chest radiograph', isConfident: false });
  });

  it('has no answer without a majority', () => {
    expect(
      majorityVerdict(
        [reading('chest-xray', 0.9), reading('other', 0.9), reading('brain-t1', 0.9)],
        0.6,
      ),
    ).toBeNull();
    expect(majorityVerdict([reading('brain-flair', 0.95)], 0.6)).toMatchObject({
      sequence: 'FLAIR',
      isConfident: true,
    });
  });
});

describe('what the gate may refuse and what it may only warn about', () => {
  const chest = majorityVerdict([reading('chest-xray', 0.97)], 0.6)!;
  const other = majorityVerdict([reading('other', 0.9)], 0.6)!;
  const t1c = majorityVerdict([reading('brain-t1c', 0.9)], 0.6)!;

  it('refuses a picture that confidently looks like a chest radiograph, in clinical words', () => {
    const verdict = verdictOn(png, chest);
    expect(verdict.refuses).toBe(true);
    expect(verdict.reasons).toEqual([
      'This model reads axial brain FLAIR MR; this image looks like a chest radiograph.',
    ]);
    expect(verdict.checkedFrom).toContain('image-gate');
  });

  it('refuses a picture that looks like no brain MR at all', () => {
    expect(verdictOn(png, other).reasons).toEqual([
      'This model reads axial brain FLAIR MR; this image looks like neither a brain MR slice nor a chest radiograph.',
    ]);
  });

  it('refuses nothing on an unsure answer, and never overrules the DICOM header', () => {
    expect(verdictOn(png, { ...chest, isConfident: false }).refuses).toBe(false);
    const verdict = verdictOn(flairSeries, other);
    expect(verdict.refuses).toBe(false);
    expect(verdict.warnings).toEqual([]);
  });

  it('only warns on the sequence it sees, and only where the header does not say', () => {
    const verdict = verdictOn(png, t1c);
    expect(verdict.refuses).toBe(false);
    expect(verdict.warnings).toEqual([
      expect.stringMatching(
        /^The image looks like T1 post-contrast MR and the series does not say which sequence it is; the tumour segmentation model reads axial brain FLAIR MR\. Check the sequence/,
      ),
    ]);
    expect(verdictOn({ ...flairSeries, sequence: 'T1-POST-CONTRAST' }, t1c).warnings).toEqual([]);
  });
});
