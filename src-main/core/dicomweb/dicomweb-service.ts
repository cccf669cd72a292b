import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DicomDestination,
  DicomWebMatch,
  DicomWebRetrieveResult,
  DicomWebSearch,
  SeriesMatchEntry,
  StudyMatchEntry,
  studyQuerySchema,
} from '../../../src-shared/contract/dicom-node.js';
import type { z } from 'zod';
import { AppError } from '../../../src-shared/errors.js';
import type { DicomNodeRepo } from '../dicom-node/dicom-node-repo.js';
import type { EventBus } from '../events.js';
import type { ImportService } from '../import/import-service.js';
import type { Logger } from '../platform/logger.js';
import type { DestinationSecrets } from '../sync/destination-secrets.js';
import {
  createDicomWebClient,
  DicomWebUnavailable,
  type DicomWebClient,
} from './dicomweb-client.js';

export interface DicomWebDeps {
  destinations(): DicomDestination[];
  secrets: DestinationSecrets;
  importer: Pick<ImportService, 'importFile' | 'refreshSeriesGeometry'>;
  repo: Pick<DicomNodeRepo, 'scanIdsOfStudy' | 'storedStudyUids' | 'storedSeriesUids'>;
  events: EventBus;
  logger: Logger;
  /** Where retrieved instances wait (as Part 10 files) while the importer reads them. */
  inboxDir: string;
  timeoutMs?: number;
}

/**
 * DICOMweb of the PACS destinations (docs/dicomweb.md): test connection (QIDO-RS), search
 * (QIDO-RS), retrieve (WADO-RS, series by series, each instance through the same import as a
 * file: validated, de-duplicated, durable). Secrets come from the keychain at each use.
 */
export function createDicomWebService(deps: DicomWebDeps) {
  const timeoutMs = deps.timeoutMs ?? 30_000;

  async function clientFor(
    destinationId: string,
    options: { timeoutMs?: number } = {},
  ): Promise<DicomWebClient> {
    const destination = deps.destinations().find((d) => d.id === destinationId);
    if (destination === undefined)
      throw new AppError(
        'NOT_FOUND',
        `No PACS destination "${destinationId}": add it in Settings → DICOM.`,
      );
    if (destination.dicomweb === undefined)
      throw new AppError(
        'INVALID_INPUT',
        `The PACS destination "${destination.name}" has no DICOMweb URL: add one in Settings → DICOM.`,
      );
    const secret =
      destination.dicomweb.auth === 'none' ? null : await deps.secrets.get(destination.id);
    return createDicomWebClient(destination.dicomweb, secret, {
      timeoutMs: options.timeoutMs ?? timeoutMs,
    });
  }

  /** A network failure as an error for the caller (the sync handles it as "try later"). */
  async function unlessUnreachable<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DicomWebUnavailable)
        throw new AppError('REMOTE_UNREACHABLE', error.message);
      throw error;
    }
  }

  const service = {
    clientFor,
    async test(destinationId: string, signal?: AbortSignal): Promise<{ ms: number }> {
      const client = await clientFor(destinationId);
      return unlessUnreachable(() => client.ping(signal));
    },
    async search(input: DicomWebSearch, signal?: AbortSignal): Promise<DicomWebMatch[]> {
      const client = await clientFor(input.destinationId);
      const filters: Record<string, string> = {};
      if (input.patientId) filters['PatientID'] = input.patientId;
      if (input.patientName) filters['PatientName'] = input.patientName;
      if (input.studyDate) filters['StudyDate'] = input.studyDate;
      if (input.accessionNumber) filters['AccessionNumber'] = input.accessionNumber;
      if (input.modality)
        filters[input.level === 'studies' ? 'ModalitiesInStudy' : 'Modality'] = input.modality;
      filters['limit'] = String(input.limit ?? 200);
      if (input.level === 'studies') {
        filters['includefield'] =
          'StudyDescription,ModalitiesInStudy,NumberOfStudyRelatedInstances,AccessionNumber';
      } else if (input.level === 'series') {
        filters['includefield'] = 'SeriesDescription,SeriesNumber,NumberOfSeriesRelatedInstances';
      }
      return unlessUnreachable(() =>
        client.search(
          input.level,
          filters,
          {
            ...(input.studyInstanceUid !== undefined && {
              studyInstanceUid: input.studyInstanceUid,
            }),
            ...(input.seriesInstanceUid !== undefined && {
              seriesInstanceUid: input.seriesInstanceUid,
            }),
          },
          signal,
        ),
      );
    },
    /**
     * Pulls a study (series by series, so one series at a time is in memory) or one series,
     * and imports each instance as a file; already stored instances count as duplicates.
     */
    async retrieve(
      input: { destinationId: string; studyInstanceUid: string; seriesInstanceUid?: string },
      options: { actor?: string; signal?: AbortSignal; onProgress?: (done: number) => void } = {},
    ): Promise<DicomWebRetrieveResult> {
      const client = await clientFor(input.destinationId);
      const series =
        input.seriesInstanceUid !== undefined
          ? [input.seriesInstanceUid]
          : (
              await unlessUnreachable(() =>
                client.search('series', {}, { studyInstanceUid: input.studyInstanceUid }),
              )
            )
              .map((s) => s.seriesInstanceUid)
              .filter((uid): uid is string => uid !== null);
      if (series.length === 0)
        throw new AppError(
          'NOT_FOUND',
          `${client.root} has no study ${input.studyInstanceUid} (or no series in it).`,
        );
      const result: DicomWebRetrieveResult = {
        received: 0,
        imported: 0,
        duplicates: 0,
        rejected: 0,
        scanIds: [],
      };
      const touched = new Set<string>();
      const dir = join(deps.inboxDir, input.destinationId);
      mkdirSync(dir, { recursive: true });
      const cancelled = (): boolean => options.signal?.aborted === true;
      try {
        for (const seriesUid of series) {
          if (cancelled()) throw new AppError('CANCELLED', 'The retrieve was cancelled.');
          const files = await unlessUnreachable(() =>
            client.retrieve(input.studyInstanceUid, seriesUid, options.signal),
          );
          for (const file of files) {
            // Cancel between instances too: what was imported so far stays.
            if (cancelled()) throw new AppError('CANCELLED', 'The retrieve was cancelled.');
            result.received++;
            const path = join(dir, `${randomUUID()}.dcm`);
            await writeFile(path, file);
            try {
              const imported = await deps.importer.importFile(path, {
                actor: options.actor ?? `dicomweb:${input.destinationId}`,
              });
              if (imported.seriesId !== undefined) touched.add(imported.seriesId);
              if (imported.newScanId !== undefined)
                deps.events.emit('scans.changed', {
                  scanIds: [imported.newScanId],
                  change: 'added',
                });
              if (imported.item.status === 'imported') result.imported++;
              else if (imported.item.status === 'duplicate') result.duplicates++;
              else result.rejected++;
            } finally {
              await unlink(path).catch(() => undefined);
            }
            options.onProgress?.(result.received);
          }
        }
      } finally {
        for (const seriesId of touched) {
          try {
            deps.importer.refreshSeriesGeometry(seriesId, null);
          } catch (error) {
            deps.logger.error('series geometry after DICOMweb retrieve failed', {
              seriesId,
              error,
            });
          }
        }
      }
      result.scanIds = deps.repo.scanIdsOfStudy(input.studyInstanceUid);
      return result;
    },
  };
  return {
    ...service,
    /** The query screen's study search by QIDO-RS, each study saying whether it is here. */
    async findStudies(query: StudyQuery, signal?: AbortSignal): Promise<StudyMatchEntry[]> {
      const { source: _source, ...filters } = query;
      const found = await service.search({ ...filters, level: 'studies' }, signal);
      const studies = found.filter(
        (m): m is DicomWebMatch & { studyInstanceUid: string } => m.studyInstanceUid !== null,
      );
      const local = deps.repo.storedStudyUids(studies.map((m) => m.studyInstanceUid));
      return studies.map((m) => ({
        studyInstanceUid: m.studyInstanceUid,
        patientId: m.patientId,
        patientName: m.patientName,
        studyDate: m.studyDate,
        studyDescription: m.description,
        accessionNumber: m.accessionNumber,
        modalities: m.modality === null ? [] : m.modality.split('\\').filter((x) => x !== ''),
        instances: m.instances,
        isLocal: local.has(m.studyInstanceUid),
      }));
    },
    /** The series of a study by QIDO-RS, in series-number order, each saying whether it is here. */
    async findSeries(
      destinationId: string,
      studyInstanceUid: string,
      signal?: AbortSignal,
    ): Promise<SeriesMatchEntry[]> {
      const found = await service.search(
        { destinationId, level: 'series', studyInstanceUid },
        signal,
      );
      const series = found.filter(
        (m): m is DicomWebMatch & { seriesInstanceUid: string } => m.seriesInstanceUid !== null,
      );
      const local = deps.repo.storedSeriesUids(series.map((m) => m.seriesInstanceUid));
      return series
        .map((m) => ({
          seriesInstanceUid: m.seriesInstanceUid,
          seriesNumber: m.seriesNumber,
          modality: m.modality,
          seriesDescription: m.description,
          instances: m.instances,
          isLocal: local.has(m.seriesInstanceUid),
        }))
        .sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity));
    },
  };
}

type StudyQuery = z.infer<typeof studyQuerySchema>;
export type DicomWebService = ReturnType<typeof createDicomWebService>;
