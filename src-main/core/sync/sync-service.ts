import { hasDimse, type DicomDestination } from '../../../src-shared/contract/dicom-node.js';
import type {
  HubAuditRow,
  HubDestination,
  HubRecord,
  HubRecordView,
  SyncDestinationConfig,
  SyncItem,
  SyncStatus,
} from '../../../src-shared/contract/sync.js';
import type { Db } from '../db/connection.js';
import type { DestinationSecrets } from './destination-secrets.js';
import { createHubClient, type HubClient } from './hub-client.js';
import { describeHubTestFailure } from './hub-test-message.js';
import { hubUrlProblem } from '../../../src-shared/contract/hub-url.js';
import type { HubDestinations } from './hub-destinations.js';
import { sendHubBatch } from './hub-batch.js';
import { planHubItems } from './hub-planner.js';
import type { HubReceiver } from './hub-receiver.js';
import type { HubSources } from './hub-sources.js';
import { AppError } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { createRateLimiter } from './rate-limiter.js';
import { dimseSender, sendBatch, type BatchDeps, type BatchSender } from './sync-batch.js';
import type { DicomWebClient } from '../dicomweb/dicomweb-client.js';
import { stowBatch } from './stow-batch.js';
import { errorMessage } from './error-message.js';
import { type MaterialiseDeps } from './sync-materialise.js';
import { planSyncItems } from './sync-planner.js';
import type { SyncItemState, SyncRepo } from './sync-repo.js';
import type { SyncOptionsStore } from './sync-options.js';
import type { SyncSources } from './sync-sources.js';

export interface SyncTiming {
  backoff: BackoffPolicy;
  /** How often the background worker looks for new outbox entries and due items. */
  pollMs: number;
  /** Items per association at most. */
  batchSize: number;
  /** Connect, association and per-PDU timeout of a send, in ms (a slow PACS past it is a failure). */
  timeoutMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  backoff: DEFAULT_BACKOFF,
  pollMs: 2_000,
  batchSize: 25,
  timeoutMs: 30_000,
};

/** What the sync knows of each destination since this process started. */
interface Live {
  online: boolean | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** Consecutive passes in which the destination answered nothing. */
  failures: number;
  /** Not tried again before this (ms since the epoch). */
  retryAt: number;
}

export interface SyncServiceDeps {
  repo: SyncRepo;
  sources: SyncSources;
  materialise: MaterialiseDeps;
  pacs: { destinations(): DicomDestination[]; callingAeTitle(): string };
  /** The DICOMweb client of a destination with a DICOMweb URL (its secret from the keychain). */
  dicomweb?: {
    clientFor(destinationId: string, options: { timeoutMs: number }): Promise<DicomWebClient>;
  };
  options: SyncOptionsStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  timing?: Partial<SyncTiming>;
  random?: () => number;
  /** Record sync to Neurosphere hubs, and this server's own side as a hub (docs/hub-sync.md). */
  hub: {
    db: Db;
    destinations: HubDestinations;
    secrets: DestinationSecrets;
    sources: HubSources;
    receiver: HubReceiver;
  };
}

/** What a hub destination's row says of PACS kinds: nothing (it receives records and audit). */
const HUB_ROW = { originals: false, segmentations: false, reports: false, deidentify: false };

/**
 * The outbox sync worker (docs/sync.md): plans items from the outbox, and when a destination
 * answers, sends them by C-STORE, records each as sent the moment the PACS confirms it, and
 * retries the rest with exponential backoff and jitter.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const { repo, clock } = deps;
  const timing: SyncTiming = { ...DEFAULT_SYNC_TIMING, ...deps.timing };
  let backoff = timing.backoff;
  const live = new Map<string, Live>();
  const limiter = createRateLimiter(() => {
    const kib = deps.options.get().bandwidthKiBps;
    return kib === null ? null : kib * 1024;
  });
  let passing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let isStarted = false;
  let emitTimer: NodeJS.Timeout | null = null;

  const liveOf = (id: string): Live => {
    let entry = live.get(id);
    if (entry === undefined) {
      entry = { online: null, lastErrorAt: null, lastError: null, failures: 0, retryAt: 0 };
      live.set(id, entry);
    }
    return entry;
  };

  const hubClients = new Map<string, { config: string; client: HubClient }>();
  const isHub = (id: string): boolean => deps.hub.destinations.get(id) !== undefined;

  function hubClient(hub: HubDestination): HubClient {
    const config = JSON.stringify(hub);
    const cached = hubClients.get(hub.id);
    if (cached !== undefined && cached.config === config) return cached.client;
    const client = createHubClient(hub, () => deps.hub.secrets.get(hub.id), timing.timeoutMs);
    hubClients.set(hub.id, { config, client });
    return client;
  }

  /** Plans every destination: PACS items, then each hub's record and audit items. */
  function planAll(): void {
    const now = clock.iso();
    planSyncItems(repo, deps.sources, now, isHub);
    for (const d of repo.destinations())
      if (isHub(d.destinationId))
        planHubItems(deps.hub.db, repo, deps.hub.sources, d.destinationId, d.outboxCursor, now);
  }

  function status(): SyncStatus {
    // Planning is idempotent and cheap: "waiting" then counts outbox entries not yet planned.
    planAll();
    const { paused, bandwidthKiBps, pausedDestinations } = deps.options.get();
    const pacs = deps.pacs.destinations();
    const hubs = deps.hub.destinations.list();
    return {
      paused,
      running: passing !== null,
      bandwidthKiBps,
      counts: repo.counts(),
      destinations: repo.destinations().map((d) => {
        const l = liveOf(d.destinationId);
        const { outboxCursor: _cursor, ...config } = d;
        return {
          ...config,
          paused: pausedDestinations.includes(d.destinationId),
          name:
            pacs.find((p) => p.id === d.destinationId)?.name ??
            hubs.find((h) => h.id === d.destinationId)?.name ??
            d.destinationId,
          kind: hubs.some((h) => h.id === d.destinationId) ? 'neurosphere' : 'pacs',
          online: l.online,
          counts: repo.counts(d.destinationId),
          lastSuccessAt: deps.sources.lastSentAt(d.destinationId),
          lastErrorAt: l.lastErrorAt,
          lastError: l.lastError,
          nextAttemptAt: repo.nextAttemptAt(d.destinationId),
        };
      }),
    };
  }

  /** At most a few events a second: a fast sync sends hundreds of items a second. */
  function emitUpdated(): void {
    if (emitTimer !== null) return;
    emitTimer = setTimeout(() => {
      emitTimer = null;
      try {
        deps.events.emit('sync.updated', { status: status() });
      } catch (error) {
        deps.logger.warn('sync status event failed', { error });
      }
    }, 200);
  }

  const batchDeps = (): BatchDeps => ({
    repo,
    materialise: deps.materialise,
    limiter,
    clock,
    timeoutMs: timing.timeoutMs,
    retryAt: (attempts) =>
      new Date(
        clock.now().getTime() + backoffDelayMs(attempts, backoff, deps.random),
      ).toISOString(),
    onChange: emitUpdated,
  });

  async function senderFor(peer: DicomDestination): Promise<BatchSender> {
    if (peer.dicomweb === undefined || deps.dicomweb === undefined) {
      // A DICOMweb-only destination is always sent to by STOW-RS; without DIMSE details there
      // is no association to open.
      if (!hasDimse(peer))
        throw new AppError(
          'INVALID_INPUT',
          `The PACS destination "${peer.name}" has neither a DICOMweb URL nor DIMSE details: complete it in Settings → DICOM.`,
        );
      return dimseSender(
        { aeTitle: peer.aeTitle, host: peer.host, port: peer.port },
        deps.pacs.callingAeTitle(),
        timing.timeoutMs,
      );
    }
    const client = await deps.dicomweb.clientFor(peer.id, { timeoutMs: timing.timeoutMs });
    return {
      label: client.root,
      send: (files, onAnswer, together) => stowBatch(client, files, onAnswer, together),
    };
  }

  /** One pass: plan, then send what is due to every destination that may be tried now. */
  /** Sends a hub's due items, batch after batch, strictly in order. */
  async function passHub(hub: HubDestination, l: Live): Promise<void> {
    const isPaused = (): boolean => {
      const options = deps.options.get();
      return options.paused || options.pausedDestinations.includes(hub.id);
    };
    while (!isPaused()) {
      const items = repo.dueInOrder(hub.id, clock.iso(), timing.batchSize);
      if (items.length === 0) break;
      const outcome = await sendHubBatch(items, hub, hubClient(hub), {
        repo,
        sources: deps.hub.sources,
        limiter,
        clock,
        retryAt: batchDeps().retryAt,
        onChange: emitUpdated,
      });
      if (outcome.confirmed > 0) {
        l.online = true;
        l.failures = 0;
      }
      if (outcome.error !== null) {
        l.lastError = outcome.error;
        l.lastErrorAt = clock.iso();
        l.online = false;
        l.failures++;
        l.retryAt = Date.now() + backoffDelayMs(l.failures, backoff, deps.random);
        deps.logger.warn('sync: hub did not take the batch', {
          destination: hub.id,
          error: outcome.error,
        });
        break;
      }
    }
  }

  async function passOnce(ignoreDestinationBackoff: boolean): Promise<void> {
    planAll();
    const pacs = deps.pacs.destinations();
    for (const destination of repo.destinations()) {
      const l = liveOf(destination.destinationId);
      const hub = deps.hub.destinations.get(destination.destinationId);
      if (hub !== undefined) {
        if (ignoreDestinationBackoff || Date.now() >= l.retryAt) await passHub(hub, l);
        continue;
      }
      const peer = pacs.find((p) => p.id === destination.destinationId);
      if (peer === undefined) {
        l.lastError = `No PACS destination "${destination.destinationId}" in Settings → DICOM: add it again or stop syncing to it.`;
        continue;
      }
      if (!ignoreDestinationBackoff && Date.now() < l.retryAt) continue;
      // A destination with a DICOMweb URL is sent to by STOW-RS, otherwise by C-STORE.
      let sender: BatchSender;
      try {
        sender = await senderFor(peer);
      } catch (error) {
        l.lastError = errorMessage(error);
        l.lastErrorAt = clock.iso();
        continue;
      }
      const isPaused = (): boolean => {
        const options = deps.options.get();
        return options.paused || options.pausedDestinations.includes(destination.destinationId);
      };
      while (!isPaused()) {
        const items = repo.due(destination.destinationId, clock.iso(), timing.batchSize);
        if (items.length === 0) break;
        const outcome = await sendBatch(items, destination, sender, batchDeps());
        if (outcome.confirmed > 0) {
          l.online = true;
          l.failures = 0;
        }
        if (outcome.error !== null) {
          l.lastError = outcome.error;
          l.lastErrorAt = clock.iso();
          if (outcome.confirmed === 0) {
            l.online = false;
            l.failures++;
            l.retryAt = Date.now() + backoffDelayMs(l.failures, backoff, deps.random);
            deps.logger.warn('sync: destination did not answer', {
              destination: destination.destinationId,
              error: outcome.error,
            });
            break;
          }
        }
        emitUpdated();
      }
    }
    emitUpdated();
  }

  /** Runs a pass unless one runs (then waits for it): passes never overlap in a process. */
  function pass(ignoreDestinationBackoff = false): Promise<void> {
    passing ??= passOnce(ignoreDestinationBackoff)
      .catch((error: unknown) => deps.logger.error('sync pass failed', { error }))
      .finally(() => {
        passing = null;
      });
    return passing;
  }

  function schedule(ms: number): void {
    if (!isStarted) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void pass().finally(() => schedule(timing.pollMs));
    }, ms);
  }

  return {
    status,
    items(filter: {
      destinationId?: string | undefined;
      state?: SyncItemState | undefined;
      before?: number | undefined;
      limit: number;
    }): SyncItem[] {
      return repo.list(filter).map((r) => {
        const { outboxId: _o, orderKey: _k, filePath: _f, bytes: _b, ...item } = r;
        return item;
      });
    },
    configure(input: {
      destinations?: SyncDestinationConfig[] | undefined;
      bandwidthKiBps?: number | null | undefined;
    }): SyncStatus {
      if (input.destinations !== undefined) {
        const known = new Set(deps.pacs.destinations().map((d) => d.id));
        const unknown = input.destinations.find((d) => !known.has(d.destinationId));
        if (unknown !== undefined)
          throw new AppError(
            'NOT_FOUND',
            `No PACS destination "${unknown.destinationId}": add it in Settings → DICOM first.`,
          );
        // Hub destinations are kept: they are saved and removed with sync.hub.save / remove.
        const hubs = deps.hub.destinations.list().map((h) => ({ destinationId: h.id, ...HUB_ROW }));
        repo.setDestinations([...input.destinations, ...hubs], clock.iso());
      }
      if (input.bandwidthKiBps !== undefined)
        deps.options.set({ bandwidthKiBps: input.bandwidthKiBps }, clock.iso());
      emitUpdated();
      schedule(0);
      return status();
    },
    retry(filter: { itemId?: number | undefined; destinationId?: string | undefined }): number {
      if (filter.itemId !== undefined) {
        const item = repo.get(filter.itemId);
        if (item === undefined) throw new AppError('NOT_FOUND', `No sync item ${filter.itemId}.`);
        if (item.state !== 'failed')
          throw new AppError(
            'CONFLICT',
            `Sync item ${filter.itemId} is ${item.state}: only a failed item is retried.`,
          );
      }
      const n = repo.retry(filter, clock.iso());
      for (const l of live.values()) l.retryAt = 0;
      emitUpdated();
      schedule(0);
      return n;
    },
    /** Pauses or resumes one destination; the others keep syncing. */
    setDestinationPaused(destinationId: string, paused: boolean): SyncStatus {
      if (!repo.destinations().some((d) => d.destinationId === destinationId))
        throw new AppError(
          'NOT_FOUND',
          `"${destinationId}" does not sync: choose what it receives first (Sync → What each PACS receives).`,
        );
      const others = deps.options.get().pausedDestinations.filter((id) => id !== destinationId);
      deps.options.set(
        { pausedDestinations: paused ? [...others, destinationId] : others },
        clock.iso(),
      );
      emitUpdated();
      if (!paused) schedule(0);
      return status();
    },
    setPaused(paused: boolean): SyncStatus {
      deps.options.set({ paused }, clock.iso());
      emitUpdated();
      if (!paused) schedule(0);
      return status();
    },
    /** Every waiting item due now, every destination tried now (`sync.run`). */
    runNow(): SyncStatus {
      repo.dueNow(clock.iso());
      for (const l of live.values()) l.retryAt = 0;
      schedule(0);
      if (!isStarted) void pass(true);
      return status();
    },
    /** The background worker (serve, the desktop app). */
    start(): void {
      if (isStarted) return;
      isStarted = true;
      const recovered = repo.recoverInFlight(clock.iso());
      if (recovered > 0)
        deps.logger.info('sync: items in flight at the last stop resent', { recovered });
      schedule(0);
    },
    /**
     * `neurosphere sync run`: sends until nothing is waiting, or `deadline` passes (items in a
     * backoff wait are waited for). Resolves to what is still waiting.
     */
    async runUntilDone(options: {
      deadline: number;
      signal?: AbortSignal;
      backoff?: BackoffPolicy;
    }): Promise<{ waiting: number }> {
      if (options.backoff !== undefined) backoff = options.backoff;
      repo.recoverInFlight(clock.iso());
      repo.dueNow(clock.iso());
      for (;;) {
        await pass(true);
        const counts = repo.counts();
        const waiting = counts.pending + counts.sending;
        if (waiting === 0 || deps.options.get().paused) return { waiting };
        // Items of a destination removed from Settings → DICOM can never go: do not wait for them.
        // Nor for those of a destination paused on its own.
        const pausedHere = new Set(deps.options.get().pausedDestinations);
        const known = new Set(
          [
            ...deps.pacs.destinations().map((d) => d.id),
            ...deps.hub.destinations.list().map((h) => h.id),
          ].filter((id) => !pausedHere.has(id)),
        );
        const sendable = repo
          .destinations()
          .filter((d) => known.has(d.destinationId))
          .reduce((sum, d) => {
            const c = repo.counts(d.destinationId);
            return sum + c.pending + c.sending;
          }, 0);
        if (sendable === 0) return { waiting };
        if (Date.now() > options.deadline || options.signal?.aborted === true) return { waiting };
        await new Promise((r) => setTimeout(r, 50));
        // Items wait for their own backoff; the destination is tried as soon as one is due.
        for (const l of live.values()) l.retryAt = 0;
      }
    },
    /** Saves a hub destination (its password to the keychain) and starts syncing to it. */
    async saveHub(input: HubDestination & { password?: string | undefined }): Promise<SyncStatus> {
      const { password, ...hub } = input;
      const urlProblem = hubUrlProblem(hub.url);
      if (urlProblem !== null) throw new AppError('INVALID_INPUT', urlProblem);
      if (deps.pacs.destinations().some((p) => p.id === hub.id))
        throw new AppError(
          'CONFLICT',
          `"${hub.id}" is a PACS destination's id: choose another id for the hub.`,
        );
      if (password === undefined && (await deps.hub.secrets.get(hub.id)) === null)
        throw new AppError(
          'INVALID_INPUT',
          `Enter the password of ${hub.username} at ${hub.url}: none is stored for "${hub.id}".`,
        );
      if (password !== undefined) await deps.hub.secrets.set(hub.id, password);
      deps.hub.destinations.save(hub, clock.iso());
      const pacsRows = repo
        .destinations()
        .filter((d) => !isHub(d.destinationId))
        .map(({ outboxCursor: _c, ...config }) => config);
      const hubRows = deps.hub.destinations
        .list()
        .map((h) => ({ destinationId: h.id, ...HUB_ROW }));
      repo.setDestinations([...pacsRows, ...hubRows], clock.iso());
      for (const l of live.values()) l.retryAt = 0;
      emitUpdated();
      schedule(0);
      return status();
    },
    /** Stops syncing to a hub and forgets its password (its items are removed with it). */
    async removeHub(id: string): Promise<SyncStatus> {
      if (!deps.hub.destinations.remove(id, clock.iso()))
        throw new AppError('NOT_FOUND', `No hub destination "${id}".`);
      await deps.hub.secrets.remove(id);
      hubClients.delete(id);
      repo.setDestinations(
        repo
          .destinations()
          .filter((d) => d.destinationId !== id)
          .map(({ outboxCursor: _c, ...config }) => config),
        clock.iso(),
      );
      emitUpdated();
      return status();
    },
    /** "Test connection": signs in at the hub and reads its version. */
    async testHub(id: string): Promise<{ ok: boolean; version: string | null; message: string }> {
      const hub = deps.hub.destinations.get(id);
      if (hub === undefined) throw new AppError('NOT_FOUND', `No hub destination "${id}".`);
      try {
        const { version } = await createHubClient(
          hub,
          () => deps.hub.secrets.get(hub.id),
          timing.timeoutMs,
        ).test();
        return {
          ok: true,
          version,
          message: `Signed in at ${hub.url} as ${hub.username}; Neurosphere ${version}.`,
        };
      } catch (error) {
        return { ok: false, version: null, message: describeHubTestFailure(hub, error) };
      }
    },
    /** The hubs, each with whether a password is stored (never the password itself). */
    async hubDestinations(): Promise<Array<HubDestination & { passwordStored: boolean }>> {
      const hubs = deps.hub.destinations.list();
      return Promise.all(
        hubs.map(async (h) => ({
          ...h,
          passwordStored: (await deps.hub.secrets.get(h.id)) !== null,
        })),
      );
    },
    /** This server as a hub: a workstation's batch of records and audit rows. */
    receive(
      input: { origin: string; records: HubRecord[]; audit: HubAuditRow[] },
      by: string | null,
    ) {
      return deps.hub.receiver.receive(input, clock.iso(), by);
    },
    hubRecords(filter: {
      conflictsOnly: boolean;
      entity?: string | undefined;
      recordId?: string | undefined;
      limit: number;
    }): HubRecordView[] {
      return deps.hub.receiver.records(filter);
    },
    /** At a hub: a person chooses the version shown of a record in conflict. */
    keepHubVersion(choice: { entity: string; id: string; origin: string; version: number }) {
      return deps.hub.receiver.keep(choice, clock.iso());
    },
    async close(): Promise<void> {
      isStarted = false;
      if (timer !== null) clearTimeout(timer);
      if (emitTimer !== null) clearTimeout(emitTimer);
      timer = null;
      emitTimer = null;
      await passing;
    },
  };
}
export type SyncService = ReturnType<typeof createSyncService>;
