import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { reportDocumentTitle } from '../../../src-shared/contract/report-dicom.js';
import type { Report } from '../../../src-shared/contract/reports.js';
import { AppError } from '../../../src-shared/errors.js';
import { BASIC_OPTIONS } from '../deidentify/annex-e.js';
import { createDeidMapping } from '../deidentify/deid-mapping.js';
import type { DeidMappingRepo } from '../deidentify/deid-mapping-repo.js';
import { deidentifyPart10, readDicomFile, stringValue } from '../deidentify/deidentify-file.js';
import type { SyncItemRecord } from './sync-repo.js';
import type { SyncSources } from './sync-sources.js';

/** What making an item's object needs from the rest of the core. */
export interface MaterialiseDeps {
  sources: SyncSources;
  /** Where a stored blob's bytes are. */
  blobPath(sha256: string): string;
  /** An encrypted store holds ciphertext at blobPath: originals are then read through readBlob. */
  blobsEncrypted: boolean;
  readBlob(sha256: string): Promise<Buffer>;
  segmentation(scanId: string, analysisId: string): Promise<Buffer>;
  report(reportId: string): Report | undefined;
  reportPdf(report: Report): Promise<Buffer>;
  encapsulatedReport(
    scanId: string,
    analysisId: string,
    pdf: Buffer,
    title: string,
  ): Promise<Buffer>;
  mappings: DeidMappingRepo;
  /** `<data>/sync`: generated objects wait here until they are sent. */
  dir: string;
}

/** The object of an item: its natural key and where its bytes are. */
export type Materialised =
  | { kind: 'ready'; sopInstanceUid: string; filePath: string; bytes: number }
  /** Nothing to send, for good (the record was deleted, or the destination must not get it). */
  | { kind: 'skip'; reason: string };

/** Writes bytes durably (temp file, fsync, rename) so a crash never leaves half an object. */
async function writeDurably(path: string, bytes: Buffer): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

function sopOf(bytes: Buffer, name: string): string {
  const uid = stringValue(readDicomFile(bytes, name).dataset, '00080018');
  if (uid === null) throw new AppError('INVALID_INPUT', `${name} has no SOP Instance UID.`);
  return uid;
}

function deidentified(
  deps: MaterialiseDeps,
  bytes: Buffer,
  name: string,
  patientId: string | null,
  allowBurnedIn: boolean,
): Buffer {
  const mapping = createDeidMapping(deps.mappings);
  const out = deidentifyPart10(bytes, name, mapping, {
    ...BASIC_OPTIONS,
    allowBurnedIn,
    appPatientId: patientId,
  });
  mapping.flush();
  return out.bytes;
}

/**
 * Makes what an item sends, once: an original is its stored blob (or a de-identified copy);
 * a SEG or a report is generated and written under `dir`. The caller records the result before
 * the first try, so every retry sends these same bytes and this same SOP Instance UID.
 */
export async function materialise(
  item: SyncItemRecord,
  deidentify: boolean,
  deps: MaterialiseDeps,
): Promise<Materialised> {
  if (item.filePath !== null && item.sopInstanceUid !== null) {
    if (existsSync(item.filePath))
      return {
        kind: 'ready',
        sopInstanceUid: item.sopInstanceUid,
        filePath: item.filePath,
        bytes: item.bytes ?? 0,
      };
    // The stored original went with its scan: nothing left to send.
    if (item.kind === 'original')
      return { kind: 'skip', reason: 'The file was deleted here before it was sent.' };
  }
  await mkdir(deps.dir, { recursive: true });
  const out = join(deps.dir, `${item.destinationId}-${item.id}.dcm`);
  const generated = async (bytes: Buffer): Promise<Materialised> => {
    await writeDurably(out, bytes);
    return {
      kind: 'ready',
      sopInstanceUid: sopOf(bytes, item.label),
      filePath: out,
      bytes: bytes.length,
    };
  };
  switch (item.kind) {
    case 'original': {
      const source = deps.sources.original(item.sourceId);
      if (source === undefined)
        return { kind: 'skip', reason: 'The file was deleted here before it was sent.' };
      const path = deps.blobPath(source.sha256);
      if (!existsSync(path))
        return { kind: 'skip', reason: 'The stored file is missing: restore the data folder.' };
      if (!deidentify && !deps.blobsEncrypted)
        return {
          kind: 'ready',
          sopInstanceUid: source.sopInstanceUid,
          filePath: path,
          bytes: (await stat(path)).size,
        };
      const bytes = deps.blobsEncrypted ? await deps.readBlob(source.sha256) : await readFile(path);
      // The DIMSE library sends files by path: a decrypted original waits in <data>/sync like a
      // generated object (docs/encryption.md lists this folder among the plaintext left-overs).
      if (!deidentify) return generated(bytes);
      return generated(deidentified(deps, bytes, item.label, source.patientId, false));
    }
    case 'segmentation': {
      const source = deps.sources.analysis(item.sourceId);
      if (source === undefined)
        return { kind: 'skip', reason: 'The analysis was deleted here before it was sent.' };
      const seg = await deps.segmentation(source.scanId, source.analysisId);
      return generated(
        deidentify ? deidentified(deps, seg, item.label, source.patientId, true) : seg,
      );
    }
    case 'report': {
      if (deidentify)
        return {
          kind: 'skip',
          reason:
            'A report PDF names the patient in its text: not sent to a de-identified destination.',
        };
      const report = deps.report(item.sourceId);
      if (report === undefined)
        return { kind: 'skip', reason: 'The report was deleted here before it was sent.' };
      const pdf = await deps.reportPdf(report);
      return generated(
        await deps.encapsulatedReport(
          report.scanId,
          report.analysisId,
          pdf,
          reportDocumentTitle(report),
        ),
      );
    }
    case 'record':
    case 'audit':
      // Hub items are sent as JSON by core/sync/hub-batch.ts, never as DICOM.
      return { kind: 'skip', reason: 'A record is not a DICOM object: it goes to a hub only.' };
  }
}
