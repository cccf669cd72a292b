import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DECODE_SEG_PY,
  requireDicomValidators,
  runPython,
  validatorFindings,
} from '../../../test-support/dicom-validation.js';
import { writeSegmentation } from './segmentation.js';
import type { SourceContext } from './source-context.js';

const EQUIPMENT = {
  manufacturer: 'Neurosphere',
  modelName: 'Neurosphere',
  softwareVersion: '0.1.0',
  deviceSerialNumber: 'NONE',
};

/** A 7 × 5 grid of 4 slices (odd frame size: frames' bits do not start on a byte). */
function source(): SourceContext {
  return {
    patientStudy: {
      PatientName: 'Doe^Jane',
      PatientID: 'NS-7',
      PatientBirthDate: '19700101',
      PatientSex: 'F',
      StudyInstanceUID: '1.2.826.0.1.3680043.8.498.5',
      StudyDate: '20240115',
      StudyTime: '101500',
      ReferringPhysicianName: '',
      StudyID: '5',
      AccessionNumber: '',
    },
    studyInstanceUid: '1.2.826.0.1.3680043.8.498.5',
    frameOfReferenceUid: '1.2.826.0.1.3680043.8.498.6',
    series: null,
    grid: {
      columns: 7,
      rows: 5,
      slices: 4,
      orientation: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.5, 0.5],
      sliceSpacing: 2.5,
      positions: [0, 1, 2, 3].map((k) => [-1.5, -1, k * 2.5]),
    },
    notes: [],
  };
}

describe('writeSegmentation with several labels', () => {
  let dir: string;
  beforeAll(() => {
    requireDicomValidators();
    dir = mkdtempSync(join(tmpdir(), 'neurosphere-seg-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one segment per label, frames segment by segment, decoded back exactly', () => {
    const mask = new Uint8Array(7 * 5 * 4);
    // A pattern with every label on several slices, and voxels at frame edges.
    for (let i = 0; i < mask.length; i++) mask[i] = (i * 7 + (i >> 3)) % 5 === 0 ? 0 : (i % 3) + 1;
    const seg = writeSegmentation({
      source: source(),
      mask,
      labels: [
        { value: 1, label: 'tumour' },
        { value: 2, label: 'oedema' },
        { value: 3, label: 'necrosis' },
      ],
      model: { id: 'three-labels', version: '2.0.0' },
      equipment: EQUIPMENT,
      createdAt: new Date('2024-03-01T08:00:00Z'),
      seriesNumber: 901,
      seriesDescription: 'Tumour segmentation',
    });
    const path = join(dir, 'seg.dcm');
    writeFileSync(path, seg.bytes);
    const findings = validatorFindings(path);
    expect(findings.errors, findings.output).toEqual([]);
    expect(findings.unexplainedWarnings, findings.output).toEqual([]);

    const decoded = join(dir, 'decoded.raw');
    const read = runPython<{
      frames: number;
      segments: Array<{ number: number; label: string; type: string }>;
    }>(DECODE_SEG_PY, [path, decoded]);
    expect(read.frames).toBe(12);
    expect(read.segments).toEqual([
      expect.objectContaining({ number: 1, label: 'tumour', type: '108369006' }),
      expect.objectContaining({ number: 2, label: 'oedema', type: '79654002' }),
      expect.objectContaining({ number: 3, label: 'necrosis', type: '6574001' }),
    ]);
    expect(readFileSync(decoded).equals(Buffer.from(mask))).toBe(true);
  });

  it('refuses a mask that is not the grid, and a segmentation without labels', () => {
    const input = {
      source: source(),
      mask: new Uint8Array(10),
      labels: [{ value: 1, label: 'tumour' }],
      model: { id: 'm', version: '1' },
      equipment: EQUIPMENT,
      createdAt: new Date(),
      seriesNumber: 901,
      seriesDescription: 'x',
    };
    expect(() => writeSegmentation(input)).toThrow(/10 voxels, not 7×5×4/);
    expect(() => writeSegmentation({ ...input, mask: new Uint8Array(140), labels: [] })).toThrow(
      /at least one segment/,
    );
  });
});
