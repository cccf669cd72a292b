import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_DICOM_NODE_SETTINGS,
  dicomDestinationSchema,
  hasDimse,
  dicomNodeSettingsSchema,
  type DicomDestination,
  type DicomNodeSettings,
  type DicomNodeStatus,
  type SeriesMatchEntry,
  type StudyMatchEntry,
} from '../../../src-shared/contract/dicom-node.js';
import { AppError } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import type { ImportService } from '../import/import-service.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { FilesRepo } from '../scans/files-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import type { SettingsRepo } from '../system/settings-repo.js';
import type { DicomNodeRepo } from './dicom-node-repo.js';
import { wrapPart10, type ReceivedInstance } from './part10-wrap.js';
import {
  echo,
  findSeries,
  findStudies,
  moveStudy,
  storeFiles,
  type DicomPeer,
  type MoveOutcome,
  type StoreOutcome,
  type StudyQuery,
} from './scu.js';
import { listenStoreScp, type ReceiveOutcome, type StoreScpListener } from './store-scp.js';

const NODE_KEY = 'dicom.node';
const DESTINATIONS_KEY = 'dicom.destinations';

export interface DicomNodeDeps {
  settings: SettingsRepo;
  importer: Pick<ImportService, 'importFile' | 'refreshSeriesGeometry'>;
  files: Pick<FilesRepo, 'listOfScan'>;
  blobs: Pick<BlobStore, 'pathOf' | 'isEncrypted' | 'read' | 'root'>;
  repo: DicomNodeRepo;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** Largest instance accepted, in bytes (as for imported files). */
  maxFileBytes: number;
  /** Where received instances wait (as Part 10 files) while the importer reads them. */
  inboxDir: string;
}

/** Reads a JSON setting, or the default when absent or no longer valid (logged). */
function readJson<T>(
  deps: DicomNodeDeps,
  key: string,
  parse: (value: unknown) => T,
  fallback: T,
): T {
  const stored = deps.settings.get(key);
  if (stored === undefined) return fallback;
  try {
    return parse(JSON.parse(stored));
  } catch (error) {
    deps.logger.warn('stored DICOM setting is not valid; using the default', { key, error });
    return fallback;
  }
}

/** A file name from an AE title and a UID: no separators or odd characters. */
const safeName = (text: string): string =>
  text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || '_';

/**
 * The workstation as a DICOM node: a Storage SCP whose instances go through the same import as
 * files (validation, de-duplication, durable before the success answer), and the SCU side
 * (echo, study query, retrieve by C-MOVE to our own listener, send by C-STORE).
 */
export function createDicomNodeService(deps: DicomNodeDeps) {
  let listener: StoreScpListener | null = null;
  let listenerError: string | null = null;
  let starting: Promise<void> | null = null;
  /**
   * Whether this process is the node (serve, the desktop app: `startIfEnabled` was called), so
   * that saved settings start and stop its listener; a CLI process never takes the port.
   */
  let isNodeProcess = false;
  const counts = { received: 0, duplicates: 0, rejected: 0, lastReceivedAt: null as string | null };
  const touchedSeries = new Set<string>();
  const receivedListeners = new Set<(event: ReceivedEvent) => void>();

  /** Settings given for this process only (the CLI's --ae and --port), not stored. */
  let processOverrides: Partial<DicomNodeSettings> = {};

  function settings(): DicomNodeSettings {
    const stored = readJson(
      deps,
      NODE_KEY,
      (v) => dicomNodeSettingsSchema.parse(v),
      DEFAULT_DICOM_NODE_SETTINGS,
    );
    return { ...stored, ...processOverrides };
  }

  function destinations(): DicomDestination[] {
    return readJson(deps, DESTINATIONS_KEY, (v) => dicomDestinationSchema.array().parse(v), []);
  }

  function destination(id: string): DicomDestination {
    const found = destinations().find((d) => d.id === id);
    if (found === undefined)
      throw new AppError(
        'NOT_FOUND',
        `No PACS destination "${id}": add it in Settings → DICOM (or \`neurosphere dicom destinations\`).`,
      );
    return found;
  }

  async function receive(instance: ReceivedInstance, dataset: Buffer[]): Promise<ReceiveOutcome> {
    const dir = join(deps.inboxDir, safeName(instance.sourceAeTitle));
    mkdirSync(dir, { recursive: true });
    // The name tells where it came from (kept as the file's original path); unique per arrival.
    const path = join(dir, `${safeName(instance.sopInstanceUid)}.${randomUUID().slice(0, 8)}.dcm`);
    await writeFile(path, wrapPart10(instance, dataset));
    try {
      const result = await deps.importer.importFile(path, {
        actor: `dicom:${instance.sourceAeTitle || 'unknown'}`,
      });
      const { item } = result;
      counts.lastReceivedAt = deps.clock.iso();
      if (result.seriesId !== undefined) touchedSeries.add(result.seriesId);
      if (result.newScanId !== undefined)
        deps.events.emit('scans.changed', { scanIds: [result.newScanId], change: 'added' });
      const outcome: ReceiveOutcome =
        item.status === 'imported'
          ? { status: 'stored' }
          : item.status === 'duplicate'
            ? { status: 'duplicate' }
            : { status: 'rejected', reason: item.reason ?? 'Not a valid DICOM instance' };
      if (outcome.status === 'stored') counts.received++;
      else if (outcome.status === 'duplicate') counts.duplicates++;
      else counts.rejected++;
      for (const notify of receivedListeners)
        notify({ instance, outcome, ...(item.scanId !== undefined && { scanId: item.scanId }) });
      return outcome;
    } finally {
      await unlink(path).catch(() => undefined);
    }
  }

  /** A sender finished: its series get their volume geometry (sorted slices, spacing). */
  function settleSeries(): void {
    const seriesIds = [...touchedSeries];
    touchedSeries.clear();
    for (const seriesId of seriesIds) {
      try {
        deps.importer.refreshSeriesGeometry(seriesId, null);
      } catch (error) {
        deps.logger.error('series geometry after DICOM receive failed', { seriesId, error });
      }
    }
  }

  /** Starts the listener with the stored settings (or these overrides); idempotent. */
  async function startListener(overrides: Partial<DicomNodeSettings> = {}): Promise<number> {
    if (starting !== null) await starting;
    if (listener !== null) return listener.port;
    const node = { ...settings(), ...overrides };
    // A crash may have left received files that were never acknowledged: the sender retries.
    rmSync(deps.inboxDir, { recursive: true, force: true });
    starting = listenStoreScp({
      host: node.bindAddress,
      port: node.port,
      aeTitle: node.aeTitle,
      allowedCallers: node.allowedCallers,
      allowedHosts: node.allowedHosts,
      receive,
      maxBytes: deps.maxFileBytes,
      onAssociationEnd: settleSeries,
      logger: deps.logger,
    }).then(
      (started) => {
        listener = started;
        listenerError = null;
        deps.logger.info('DICOM listener started', { aeTitle: node.aeTitle, port: started.port });
      },
      (error: NodeJS.ErrnoException) => {
        listenerError =
          error.code === 'EADDRINUSE'
            ? `Port ${node.port} is in use by another program: choose another port for the DICOM node.`
            : `The DICOM listener could not start: ${error.message}`;
        throw new AppError('CONFLICT', listenerError);
      },
    );
    try {
      await starting;
    } finally {
      starting = null;
    }
    return listener!.port;
  }

  async function stopListener(): Promise<void> {
    if (starting !== null) await starting.catch(() => undefined);
    const current = listener;
    listener = null;
    if (current !== null) await current.close();
    settleSeries();
  }

  /** The DIMSE peer of a destination; a DICOMweb-only one has none (said in words). */
  function peerOf(d: DicomDestination): DicomPeer {
    if (!hasDimse(d))
      throw new AppError(
        'INVALID_INPUT',
        `The PACS destination "${d.name}" is DICOMweb only (no AE title, host and port): use DICOMweb for it, or add its DIMSE details in Settings → DICOM.`,
      );
    return { aeTitle: d.aeTitle, host: d.host, port: d.port };
  }

  return {
    settings,
    /** Uses these settings in this process without storing them (the CLI's --ae, --port). */
    overrideForThisProcess(overrides: Partial<DicomNodeSettings>): void {
      processOverrides = { ...dicomNodeSettingsSchema.partial().parse(overrides) };
    },
    destinations,
    destination,
    /**
     * Saves the node's settings. In the node's process the listener follows them at once:
     * stopped when disabled, (re)started with the new AE title, port and allowed callers when
     * enabled; a start that fails (port in use) is shown in `status().error`, the settings stay.
     */
    async updateSettings(next: DicomNodeSettings, now: string): Promise<DicomNodeSettings> {
      const parsed = dicomNodeSettingsSchema.parse(next);
      deps.settings.set(NODE_KEY, JSON.stringify(parsed), now);
      const wasListening = listener !== null;
      if (wasListening) await stopListener();
      if (parsed.enabled && (wasListening || isNodeProcess))
        await startListener().catch(() => undefined);
      return parsed;
    },
    saveDestination(next: DicomDestination, now: string): DicomDestination[] {
      const parsed = dicomDestinationSchema.parse(next);
      const list = destinations().filter((d) => d.id !== parsed.id);
      list.push(parsed);
      deps.settings.set(DESTINATIONS_KEY, JSON.stringify(list), now);
      return list;
    },
    removeDestination(id: string, now: string): DicomDestination[] {
      destination(id);
      const list = destinations().filter((d) => d.id !== id);
      deps.settings.set(DESTINATIONS_KEY, JSON.stringify(list), now);
      return list;
    },
    startListener,
    stopListener,
    /** Starts the listener if the settings enable it; a failure is logged and shown in status. */
    async startIfEnabled(): Promise<void> {
      isNodeProcess = true;
      if (!settings().enabled) return;
      await startListener().catch((error: unknown) =>
        deps.logger.error('DICOM listener did not start', { error }),
      );
    },
    status(): DicomNodeStatus {
      return {
        listening: listener !== null,
        port: listener?.port ?? null,
        error: listener === null && settings().enabled ? listenerError : null,
        ...counts,
      };
    },
    /** Called for each instance received (the CLI's `dicom listen` prints them). */
    onReceived(listen: (event: ReceivedEvent) => void): () => void {
      receivedListeners.add(listen);
      return () => receivedListeners.delete(listen);
    },
    async echo(peer: DicomPeer, signal?: AbortSignal): Promise<{ ms: number }> {
      return echo(peer, { callingAeTitle: settings().aeTitle, ...(signal && { signal }) });
    },
    async find(
      peer: DicomPeer,
      query: StudyQuery,
      signal?: AbortSignal,
    ): Promise<StudyMatchEntry[]> {
      const matches = await findStudies(peer, query, {
        callingAeTitle: settings().aeTitle,
        ...(signal && { signal }),
      });
      const local = deps.repo.storedStudyUids(matches.map((m) => m.studyInstanceUid));
      return matches.map((m) => ({ ...m, isLocal: local.has(m.studyInstanceUid) }));
    },
    /** The series of a study on the PACS, each saying whether it is stored here. */
    async findSeries(
      peer: DicomPeer,
      studyInstanceUid: string,
      signal?: AbortSignal,
    ): Promise<SeriesMatchEntry[]> {
      const matches = await findSeries(peer, studyInstanceUid, {
        callingAeTitle: settings().aeTitle,
        ...(signal && { signal }),
      });
      const local = deps.repo.storedSeriesUids(matches.map((m) => m.seriesInstanceUid));
      return matches.map((m) => ({ ...m, isLocal: local.has(m.seriesInstanceUid) }));
    },
    /** Whether this process is the node (serve, the app), whose listener receives retrieves. */
    isNodeProcess(): boolean {
      return isNodeProcess;
    },
    /**
     * Pulls a study: C-MOVE to our own AE title, so the peer sends it to our listener (started
     * here for the retrieve if this process has none; if the port is taken, another Neurosphere
     * process, e.g. `serve`, is assumed to listen and receives it).
     */
    async retrieve(
      peer: DicomPeer,
      studyInstanceUid: string,
      options: {
        signal?: AbortSignal;
        onProgress?: (done: number, total: number) => void;
        seriesInstanceUid?: string;
      } = {},
    ): Promise<MoveOutcome & { scanIds: string[] }> {
      const node = settings();
      let startedHere = false;
      if (listener === null) {
        try {
          await startListener();
          startedHere = true;
        } catch (error) {
          if (!(error instanceof AppError && listenerError?.includes('in use') === true))
            throw error;
        }
      }
      try {
        const outcome = await moveStudy(peer, studyInstanceUid, node.aeTitle, {
          callingAeTitle: node.aeTitle,
          ...options,
        });
        settleSeries();
        return { ...outcome, scanIds: deps.repo.scanIdsOfStudy(studyInstanceUid) };
      } finally {
        if (startedHere) await stopListener();
      }
    },
    /** Sends a scan's DICOM files by C-STORE. */
    async sendScan(
      peer: DicomPeer,
      scanId: string,
      options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
    ): Promise<StoreOutcome> {
      const files = deps.files.listOfScan(scanId).filter((f) => f.mimeType === 'application/dicom');
      if (files.length === 0)
        throw new AppError(
          'INVALID_INPUT',
          'This scan has no DICOM files to send (a picture or NIfTI is not DICOM).',
        );
      if (!deps.blobs.isEncrypted) {
        return storeFiles(
          peer,
          files.map((f) => deps.blobs.pathOf(f.sha256)),
          { callingAeTitle: settings().aeTitle, ...options },
        );
      }
      // The DIMSE library reads files by path: an encrypted store decrypts them to private temp
      // files (0600, in the store's temp folder, swept after a crash) for the send only.
      const temps: string[] = [];
      try {
        for (const file of files) {
          const temp = join(
            deps.blobs.root,
            'tmp',
            `${process.pid}-send-${randomBytes(8).toString('hex')}.dcm`,
          );
          temps.push(temp);
          await writeFile(temp, await deps.blobs.read(file.sha256), { mode: 0o600 });
        }
        return await storeFiles(peer, temps, { callingAeTitle: settings().aeTitle, ...options });
      } finally {
        await Promise.all(temps.map((temp) => rm(temp, { force: true })));
      }
    },
    /** Sends Part 10 files by C-STORE. */
    async sendFiles(
      peer: DicomPeer,
      paths: readonly string[],
      options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
    ): Promise<StoreOutcome> {
      return storeFiles(peer, paths, { callingAeTitle: settings().aeTitle, ...options });
    },
    peerOf,
    async close(): Promise<void> {
      await stopListener();
    },
  };
}
export type DicomNodeService = ReturnType<typeof createDicomNodeService>;

export interface ReceivedEvent {
  instance: ReceivedInstance;
  outcome: ReceiveOutcome;
  scanId?: string;
}
