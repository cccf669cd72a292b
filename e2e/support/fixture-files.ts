import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fixtureUid,
  makeDicom,
  writeDicomSeries,
} from '../../src-main/test-support/dicom-fixtures.js';
import { makePng } from '../../src-main/test-support/image-fixtures.js';

export interface GeneratedFiles {
  readonly dir: string;
  readonly seriesFiles: string[];
  readonly png: string;
}

/**
 * A CT series of a "head": a bright ring (skull, ~1000 HU) around soft tissue (~40 HU) in air
 * (-1000 HU), stored with rescale intercept -1024 so that windowing visibly changes the picture.
 */
export function generateStudy(): GeneratedFiles {
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-'));
  const size = 64;
  const stored = (hu: number): number => hu + 1024;
  const seriesFiles = writeDicomSeries(join(dir, 'series'), 5, {
    patientName: 'Test^Ingrid',
    patientId: 'E2E-001',
    studyDescription: 'CT HEAD E2E',
    seriesDescription: 'AX BRAIN',
    modality: 'CT',
    rows: size,
    columns: size,
    pixelSpacing: [0.5, 0.5],
    pixel: (row, column) => {
      const r = Math.hypot(row - size / 2, column - size / 2);
      if (r > 28) return stored(-1000);
      if (r > 24) return stored(1000);
      return stored(20 + ((row + column) % 40));
    },
  });
  const png = join(dir, 'slice.png');
  writeFileSync(
    png,
    makePng(48, 32, (x, y) => (x * 5 + y * 3) % 256),
  );
  return { dir, seriesFiles, png };
}

/** Many small, distinct DICOM files: an import that takes long enough to be cancelled. */
export function generateLargeFolder(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-big-'));
  const folder = join(dir, 'CD');
  mkdirSync(folder);
  // Four series of one study, as on a CD.
  const studyInstanceUid = fixtureUid();
  const series = [fixtureUid(), fixtureUid(), fixtureUid(), fixtureUid()];
  for (let i = 0; i < count; i++) {
    writeFileSync(
      join(folder, `IM${String(i).padStart(5, '0')}.dcm`),
      makeDicom({
        patientName: 'Bulk^Patient',
        patientId: 'E2E-BULK',
        studyInstanceUid,
        seriesInstanceUid: series[i % 4] as string,
        seriesDescription: `BULK ${i % 4}`,
        instanceNumber: Math.floor(i / 4) + 1,
        imagePosition: [0, 0, Math.floor(i / 4)],
        rows: 32,
        columns: 32,
        pixel: (r, c) => (r * 32 + c + i) % 4096,
      }),
    );
  }
  return folder;
}

export interface WorklistFiles {
  readonly dir: string;
  /** Two axial FLAIR series of one "MRI BRAIN" study: series 3 (4 slices) and 7 (6 slices). */
  readonly flair3: string[];
  readonly flair7: string[];
  /** A CT series of another patient. */
  readonly ct: string[];
}

/** One MR study with two FLAIR series that differ only by series number and slice count. */
export function generateWorklistStudies(): WorklistFiles {
  const dir = mkdtempSync(join(tmpdir(), 'neurosphere-e2e-worklist-'));
  const studyInstanceUid = fixtureUid();
  const mr = {
    patientName: 'Worklist^Wanda',
    patientId: 'E2E-WL',
    studyInstanceUid,
    studyDate: '20261115',
    studyDescription: 'MRI BRAIN',
    seriesDescription: 'AX FLAIR',
    modality: 'MR',
    rows: 32,
    columns: 32,
    pixelSpacing: [0.9, 0.9] as [number, number],
  };
  const flair3 = writeDicomSeries(join(dir, 'flair3'), 4, { ...mr, seriesNumber: 3 });
  const flair7 = writeDicomSeries(join(dir, 'flair7'), 6, {
    ...mr,
    seriesNumber: 7,
    prefix: 'late',
  });
  const ct = writeDicomSeries(join(dir, 'ct'), 3, {
    patientName: 'Worklist^Carl',
    patientId: 'E2E-WL-CT',
    studyDescription: 'CT HEAD',
    seriesDescription: 'AXIAL',
    seriesNumber: 2,
    modality: 'CT',
    rows: 32,
    columns: 32,
    pixelSpacing: [0.5, 0.5],
  });
  return { dir, flair3, flair7, ct };
}
