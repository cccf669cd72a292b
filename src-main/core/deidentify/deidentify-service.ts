import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DeidentifyRequest } from '../../../src-shared/contract/deidentify.js';
import { AppError } from '../../../src-shared/errors.js';
import { createZip } from '../exports/zip-writer.js';
import { createDeidMapping } from './deid-mapping.js';
import type { DeidMappingRepo } from './deid-mapping-repo.js';
import type { DeidSourceFile, DeidSourceRepo } from './deid-source-repo.js';
import { deidentifyPart10 } from './deidentify-file.js';

export interface DeidentifyServiceDeps {
  sources: DeidSourceRepo;
  mappings: DeidMappingRepo;
  readBlob(sha256: string): Promise<Uint8Array>;
  /** The scan's latest analysis mask as a DICOM SEG; throws NOT_FOUND when there is none. */
  segmentation(scanId: string): Promise<{ bytes: Buffer }>;
  now(): Date;
}

export interface DeidentifyRun {
  signal?: AbortSignal;
  /** Called after each file. */
  onProgress?: (done: number, total: number) => void;
}

/** The files of one de-identified export, by relative path in the folder or ZIP. */
export interface DeidentifiedExport {
  files: Array<{ name: string; bytes: Buffer }>;
  pseudonymIds: string[];
  burnedIn: string[];
  notes: string[];
}

/**
 * De-identified export of a scan's series or a study (docs/deidentification.md): every stored
 * instance through the profile with one mapping (so UIDs agree across the files and with earlier
 * exports), optionally each scan's analysis SEG through the same mapping (its study, series and
 * source references land on the de-identified images). Files are named by series, not by
 * anything in the source: `S001-IM0001.dcm`, the SEG `S001-SEG.dcm` (flat: a ZIP of plain names).
 */
export function createDeidentifyService(deps: DeidentifyServiceDeps) {
  function sourcesOf(request: DeidentifyRequest): DeidSourceFile[] {
    if (request.kind === 'scan') {
      const scan = deps.sources.scan(request.id);
      if (scan === undefined) throw new AppError('NOT_FOUND', `No scan ${request.id}.`);
      if (scan.format !== 'dicom')
        throw new AppError(
          'INVALID_INPUT',
          'Only DICOM scans can be exported de-identified; this scan was imported from a picture.',
        );
      return deps.sources.filesOfScan(request.id);
    }
    if (!deps.sources.studyExists(request.id))
      throw new AppError('NOT_FOUND', `No study ${request.id}.`);
    return deps.sources.filesOfStudy(request.id);
  }

  async function build(
    request: DeidentifyRequest,
    run: DeidentifyRun = {},
  ): Promise<DeidentifiedExport> {
    const sources = sourcesOf(request);
    if (sources.length === 0)
      throw new AppError(
        'NOT_FOUND',
        'There are no stored DICOM files to export for this selection.',
      );
    const scanIds = [...new Set(sources.map((s) => s.scanId))];
    const total = sources.length + (request.includeResults ? scanIds.length : 0);
    const mapping = createDeidMapping(deps.mappings);
    const options = {
      dates: request.dates,
      retainUids: request.retainUids,
      retainPatientCharacteristics: request.retainPatientCharacteristics,
      allowBurnedIn: request.allowBurnedIn,
    };
    const folderOf = new Map(scanIds.map((id, i) => [id, `S${String(i + 1).padStart(3, '0')}`]));
    const files: DeidentifiedExport['files'] = [];
    const pseudonymIds = new Set<string>();
    const burnedIn: string[] = [];
    const notes: string[] = [];
    const counts = new Map<string, number>();
    let done = 0;
    const step = (): void => {
      if (run.signal?.aborted === true)
        throw new AppError('CANCELLED', 'The de-identified export was cancelled.');
    };
    for (const source of sources) {
      step();
      const folder = folderOf.get(source.scanId)!;
      const n = (counts.get(folder) ?? 0) + 1;
      counts.set(folder, n);
      const name = `${folder}-IM${String(n).padStart(4, '0')}.dcm`;
      const out = deidentifyPart10(await deps.readBlob(source.sha256), `Image ${name}`, mapping, {
        ...options,
        appPatientId: source.patientId,
      });
      pseudonymIds.add(out.pseudonymId);
      if (out.burnedIn !== null) burnedIn.push(`${name}: ${out.burnedIn}`);
      files.push({ name, bytes: out.bytes });
      run.onProgress?.(++done, total);
    }
    if (request.includeResults) {
      for (const scanId of scanIds) {
        step();
        const folder = folderOf.get(scanId)!;
        try {
          const seg = await deps.segmentation(scanId);
          const out = deidentifyPart10(seg.bytes, `${folder}-SEG.dcm`, mapping, {
            ...options,
            allowBurnedIn: true,
            appPatientId: sources.find((s) => s.scanId === scanId)?.patientId ?? null,
          });
          files.push({ name: `${folder}-SEG.dcm`, bytes: out.bytes });
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
          notes.push(`${folder}: no analysis mask, so no SEG (${error.message})`);
        }
        run.onProgress?.(++done, total);
      }
      notes.push(
        'Outline overlays and report PDFs are not included: their pixels and text show the patient; the SEG carries the result.',
      );
    }
    mapping.flush();
    return { files, pseudonymIds: [...pseudonymIds], burnedIn, notes };
  }

  return {
    build,
    /** A folder of DICOM files de-identified into `outDir` with this data dir's mapping. */
    folder(
      inDir: string,
      outDir: string,
      request: Omit<DeidentifyRequest, 'kind' | 'id' | 'includeResults'>,
      run: DeidentifyRun = {},
    ) {
      return deidentifyFolder(deps.mappings, inDir, outDir, request, run);
    },
    /** Whether an id is a scan or a study (NOT_FOUND when neither). */
    kindOf(id: string): 'scan' | 'study' {
      if (deps.sources.scan(id) !== undefined) return 'scan';
      if (deps.sources.studyExists(id)) return 'study';
      throw new AppError('NOT_FOUND', `No scan or study ${id}: "scans list" shows the ids.`);
    },
    /** Writes the export into `outDir` (created), in the ZIP's layout; answers the paths. */
    async writeFolder(
      request: DeidentifyRequest,
      outDir: string,
      run: DeidentifyRun = {},
    ): Promise<DeidentifiedExport & { paths: string[] }> {
      const built = await build(request, run);
      await mkdir(outDir, { recursive: true });
      const paths: string[] = [];
      for (const file of built.files) {
        const path = join(outDir, file.name);
        await writeFile(path, file.bytes);
        paths.push(path);
      }
      return { ...built, paths };
    },
    /** The export as one ZIP, named after the pseudonym, never the patient. */
    async zip(
      request: DeidentifyRequest,
      run: DeidentifyRun = {},
    ): Promise<DeidentifiedExport & { fileName: string; bytes: Buffer }> {
      const built = await build(request, run);
      const fileName = `${built.pseudonymIds[0] ?? 'ANONYMOUS'}_${request.kind}_deidentified.zip`;
      return { ...built, fileName, bytes: createZip(built.files, deps.now()) };
    },
  };
}
export type DeidentifyService = ReturnType<typeof createDeidentifyService>;

/** Every file under a folder (links not followed), in a stable order. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * De-identifies a folder of DICOM files (a CD, an export from elsewhere) into `outDir`, keeping
 * the relative paths, so the copy can be imported or sent with no PHI: files that are not DICOM
 * Part 10 and DICOMDIR indexes (which list names and IDs) are left out and listed.
 */
export async function deidentifyFolder(
  mappings: DeidMappingRepo,
  inDir: string,
  outDir: string,
  request: Omit<DeidentifyRequest, 'kind' | 'id' | 'includeResults'>,
  run: DeidentifyRun = {},
): Promise<{ written: string[]; skipped: string[]; burnedIn: string[]; pseudonymIds: string[] }> {
  const files = await filesUnder(inDir);
  const mapping = createDeidMapping(mappings);
  const written: string[] = [];
  const skipped: string[] = [];
  const burnedIn: string[] = [];
  const pseudonymIds = new Set<string>();
  let done = 0;
  for (const path of files) {
    if (run.signal?.aborted === true)
      throw new AppError('CANCELLED', 'De-identifying the folder was cancelled.');
    const name = relative(inDir, path);
    const bytes = await readFile(path);
    const isPart10 = bytes.length > 132 && bytes.toString('latin1', 128, 132) === 'DICM';
    if (!isPart10 || /^DICOMDIR$/i.test(name.split(/[\\/]/).at(-1) ?? '')) {
      skipped.push(
        `${name}: ${isPart10 ? 'a DICOMDIR index (it lists names and IDs)' : 'not a DICOM Part 10 file'}`,
      );
    } else {
      let out;
      try {
        out = deidentifyPart10(bytes, name, mapping, { ...request, appPatientId: null });
      } catch (error) {
        // One bad or burned-in file does not stop the folder: it is left out and listed.
        if (!(error instanceof AppError) || error.code === 'CANCELLED') throw error;
        skipped.push(`${name}: ${error.message}`);
        run.onProgress?.(++done, files.length);
        continue;
      }
      const target = join(outDir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, out.bytes);
      written.push(target);
      pseudonymIds.add(out.pseudonymId);
      if (out.burnedIn !== null) burnedIn.push(`${name}: ${out.burnedIn}`);
    }
    run.onProgress?.(++done, files.length);
  }
  mapping.flush();
  return { written, skipped, burnedIn, pseudonymIds: [...pseudonymIds] };
}

/** What the audit log records of an export: the options and counts, no name, no pseudonym. */
export function deidentifyAuditDetails(
  request: DeidentifyRequest,
  built: DeidentifiedExport,
): Record<string, unknown> {
  return {
    kind: request.kind,
    files: built.files.length,
    dates: request.dates,
    retainUids: request.retainUids,
    retainPatientCharacteristics: request.retainPatientCharacteristics,
    includeResults: request.includeResults,
    burnedInConfirmed: built.burnedIn.length,
  };
}
