import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';
import {
  fixtureUid,
  writeDicomSeries,
  type DicomFixtureOptions,
} from '../../src-main/test-support/dicom-fixtures.js';
import { startOrthanc, type TestOrthanc } from '../../src-main/test-support/orthanc.js';
import { rpc } from './api.js';

/** A patient's study that the test PACS holds before a query/retrieve spec starts. */
export interface PriorStudy {
  patientId: string;
  /** DICOM PN: `Family^Given`. */
  patientName: string;
  studyDate: string;
  studyDescription: string;
  modality: string;
  /** In series-number order; each series is `slices` instances of 32×32 pixels. */
  series: readonly { description: string; slices: number }[];
}

/** A fresh folder under the system's temp dir, `neurosphere-e2e-<name>-…`. */
function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `neurosphere-e2e-${name}-`));
}

async function upload(orthanc: TestOrthanc, paths: readonly string[]): Promise<void> {
  for (const path of paths) await orthanc.upload(readFileSync(path));
}

/**
 * Starts Orthanc (a real PACS on loopback) in a fresh temp folder and uploads the prior study.
 * A failed upload stops it again, so no PACS is left running.
 */
export async function startPacsWithPrior(name: string, prior: PriorStudy): Promise<TestOrthanc> {
  const dir = tempDir(name);
  const orthanc = await startOrthanc(join(dir, 'orthanc'));
  const { series, ...study } = prior;
  const common: DicomFixtureOptions = {
    ...study,
    studyInstanceUid: fixtureUid(),
    rows: 32,
    columns: 32,
  };
  try {
    const files = series.flatMap((one, index) =>
      writeDicomSeries(join(dir, `series-${index + 1}`), one.slices, {
        ...common,
        seriesInstanceUid: fixtureUid(),
        seriesNumber: index + 1,
        seriesDescription: one.description,
      }),
    );
    await upload(orthanc, files);
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
  return orthanc;
}

/**
 * Uploads a CT study of `slices` 64×64 instances: large enough that its retrieve is still
 * running when a test cancels it.
 */
export async function uploadLargeStudy(
  orthanc: TestOrthanc,
  name: string,
  slices: number,
  patient: { patientId: string; patientName: string; studyDate: string },
): Promise<void> {
  const dir = tempDir(name);
  await upload(
    orthanc,
    writeDicomSeries(join(dir, 'big'), slices, {
      ...patient,
      modality: 'CT',
      rows: 64,
      columns: 64,
    }),
  );
}

/** Saves a PACS among the DICOM destinations (dicom.destinations.save), as an administrator. */
export async function saveDestination(
  request: APIRequestContext,
  token: string,
  destination: Record<string, unknown>,
): Promise<void> {
  const saved = await rpc(request, 'dicom.destinations.save', destination, token);
  expect(saved.body.ok, JSON.stringify(saved.body.error)).toBe(true);
}
