import { AppError } from '../../../src-shared/errors.js';
import { dimse, type DimseDataset, type DimseRequest } from './dimse.js';

const { Client } = dimse;
const { CEchoRequest, CFindRequest, CMoveRequest, CStoreRequest } = dimse.requests;
const { Status } = dimse.constants;

/** Another DICOM node: its AE title and where it listens. */
export interface DicomPeer {
  aeTitle: string;
  host: string;
  port: number;
}

export interface ScuOptions {
  /** Our AE title, sent as the calling AE. */
  callingAeTitle: string;
  /** Connect, association and per-PDU timeout in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What every DIMSE response answers: the part of it a 'response' listener reads. */
interface DimseResponse {
  getStatus(): number;
  getErrorComment(): string;
}

/** The last, non-pending response of an operation. */
interface FinalStatus {
  status: number;
  comment: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const RESPONSE_GRACE_MS = 2_000;

function describe(peer: DicomPeer): string {
  return `${peer.aeTitle} at ${peer.host}:${peer.port}`;
}

/**
 * Runs requests in one association and settles when it closes: with the error that ended it
 * (connection refused, association rejected, timeout, abort), or normally.
 */
function runAssociation(
  peer: DicomPeer,
  requests: DimseRequest[],
  options: ScuOptions,
  isAnswered: () => boolean,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true) {
      reject(new AppError('CANCELLED', 'Cancelled.'));
      return;
    }
    const client = new Client();
    for (const request of requests) client.addRequest(request);
    let failure: AppError | undefined;
    let cancelled = false;
    const abortAssociation = (): void => {
      try {
        client.abort();
      } catch {
        // Not connected yet: the close follows the connection attempt.
      }
    };
    const onAbort = (): void => {
      failure = new AppError('CANCELLED', 'Cancelled.');
      cancelled = true;
      abortAssociation();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // An abort before the association is accepted is skipped by the library: abort once it is.
    client.on('associationAccepted', () => {
      if (cancelled) abortAssociation();
    });
    client.on(
      'associationRejected',
      (reject: { result: number; source: number; reason: number }) => {
        failure ??= new AppError(
          'REMOTE_UNREACHABLE',
          `${describe(peer)} refused the association (reason ${reject.reason}): check that it knows our AE title "${options.callingAeTitle}" and that its AE title is "${peer.aeTitle}".`,
          { ...reject },
        );
      },
    );
    client.on('networkError', (error: Error) => {
      failure ??= new AppError(
        'REMOTE_UNREACHABLE',
        /timeout/i.test(error.message)
          ? `${describe(peer)} did not answer in time (${error.message}): check that it knows our AE title "${options.callingAeTitle}" (a PACS may ignore callers it does not know) and that it is running.`
          : `Cannot talk to ${describe(peer)}: ${error.message}. Check the host, port and that the PACS is running.`,
      );
    });
    // The library runs listeners later (setImmediate), so the last responses may be handled
    // after the close: wait briefly for them rather than report answers as missing.
    const settle = (waitedMs: number): void => {
      if (failure === undefined && !isAnswered() && waitedMs < RESPONSE_GRACE_MS) {
        setTimeout(() => settle(waitedMs + 5), 5);
        return;
      }
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) reject(failure);
      else resolve();
    };
    client.on('closed', () => settle(0));
    client.send(peer.host, peer.port, options.callingAeTitle, peer.aeTitle, {
      connectTimeout: timeoutMs,
      associationTimeout: timeoutMs,
      pduTimeout: timeoutMs,
    });
  });
}

function statusError(peer: DicomPeer, what: string, status: number, comment: string): AppError {
  const hex = `0x${status.toString(16).padStart(4, '0')}`;
  return new AppError(
    'REMOTE_UNREACHABLE',
    `${describe(peer)} answered ${what} with status ${hex}${comment === '' ? '' : ` (${comment})`}.`,
    { status },
  );
}

/** C-ECHO: whether the peer answers, and how long the round trip took in ms. */
export async function echo(peer: DicomPeer, options: ScuOptions): Promise<{ ms: number }> {
  const started = performance.now();
  const request = new CEchoRequest();
  let status: number | undefined;
  request.on('response', (response: { getStatus(): number }) => {
    status = response.getStatus();
  });
  await runAssociation(peer, [request], options, () => status !== undefined);
  if (status !== Status.Success) throw statusError(peer, 'C-ECHO', status ?? -1, '');
  return { ms: Math.round(performance.now() - started) };
}

/** What a study-level C-FIND asks; empty fields match everything. */
export interface StudyQuery {
  patientId?: string | undefined;
  /** DICOM PN matching: `DOE*` matches every name starting with DOE. */
  patientName?: string | undefined;
  /** YYYYMMDD or a range YYYYMMDD-YYYYMMDD. */
  studyDate?: string | undefined;
  accessionNumber?: string | undefined;
  /** One modality (CT, MR, …), matched against Modalities in Study. */
  modality?: string | undefined;
}

export interface StudyMatch {
  studyInstanceUid: string;
  patientId: string | null;
  patientName: string | null;
  studyDate: string | null;
  studyDescription: string | null;
  accessionNumber: string | null;
  modalities: string[];
  instances: number | null;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : text(value[0]);
  if (typeof value === 'object') {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : null;
  }
  const result = String(value).trim();
  return result === '' ? null : result;
}

function matchOf(elements: Record<string, unknown>): StudyMatch | null {
  const studyInstanceUid = text(elements['StudyInstanceUID']);
  if (studyInstanceUid === null) return null;
  const modalities = elements['ModalitiesInStudy'];
  const count = text(elements['NumberOfStudyRelatedInstances']);
  return {
    studyInstanceUid,
    patientId: text(elements['PatientID']),
    patientName: text(elements['PatientName']),
    studyDate: text(elements['StudyDate']),
    studyDescription: text(elements['StudyDescription']),
    accessionNumber: text(elements['AccessionNumber']),
    modalities: (Array.isArray(modalities)
      ? modalities
      : modalities === undefined
        ? []
        : [modalities]
    )
      .map((m) => String(m).trim())
      .filter((m) => m !== ''),
    instances: count === null || !Number.isFinite(Number(count)) ? null : Number(count),
  };
}

/**
 * Sends one C-FIND in its own association and collects the matches the peer lists (at most `max`;
 * a pending response whose dataset `matchOf` cannot read is skipped). Anything but a final Success
 * is an error.
 */
async function runFind<Match>(
  peer: DicomPeer,
  request: DimseRequest,
  options: ScuOptions,
  max: number,
  matchOf: (elements: Record<string, unknown>) => Match | null,
): Promise<Match[]> {
  const matches: Match[] = [];
  let final: FinalStatus | undefined;
  request.on('response', (response: DimseResponse & { getDataset(): DimseDataset | undefined }) => {
    const status = response.getStatus();
    if (status === Status.Pending) {
      const dataset = response.getDataset();
      const match = dataset === undefined ? null : matchOf(dataset.getElements());
      if (match !== null && matches.length < max) matches.push(match);
    } else {
      final = { status, comment: response.getErrorComment() ?? '' };
    }
  });
  await runAssociation(peer, [request], options, () => final !== undefined);
  if (final === undefined || final.status !== Status.Success)
    throw statusError(peer, 'C-FIND', final?.status ?? -1, final?.comment ?? '');
  return matches;
}

/** C-FIND at study level (Study Root): the studies that match, as the peer lists them. */
export async function findStudies(
  peer: DicomPeer,
  query: StudyQuery,
  options: ScuOptions & { maxResults?: number },
): Promise<StudyMatch[]> {
  const request = CFindRequest.createStudyFindRequest({
    PatientID: query.patientId ?? '',
    PatientName: query.patientName ?? '',
    StudyDate: query.studyDate ?? '',
    AccessionNumber: query.accessionNumber ?? '',
    StudyInstanceUID: '',
    StudyDescription: '',
    ModalitiesInStudy: query.modality ?? '',
    NumberOfStudyRelatedInstances: '',
  });
  return runFind(peer, request, options, options.maxResults ?? 500, matchOf);
}

/** C-MOVE status 0xA801: "Refused: Move Destination unknown" (PS3.4 C.4.2.1.5). */
const MOVE_DESTINATION_UNKNOWN = 0xa801;
const UNABLE_TO_PROCESS = 0xc000;

export interface MoveOutcome {
  completed: number;
  failed: number;
  warnings: number;
}

/**
 * C-MOVE of a study to `destinationAeTitle` (our own listener, which the peer must know by that
 * AE title): the peer opens its own association to it and sends the instances.
 */
export async function moveStudy(
  peer: DicomPeer,
  studyInstanceUid: string,
  destinationAeTitle: string,
  options: ScuOptions & {
    onProgress?: (done: number, total: number) => void;
    /** Only this series of the study (a series-level C-MOVE). */
    seriesInstanceUid?: string | undefined;
  },
): Promise<MoveOutcome> {
  const request =
    options.seriesInstanceUid === undefined
      ? CMoveRequest.createStudyMoveRequest(destinationAeTitle, studyInstanceUid)
      : CMoveRequest.createSeriesMoveRequest(
          destinationAeTitle,
          studyInstanceUid,
          options.seriesInstanceUid,
        );
  let outcome: MoveOutcome = { completed: 0, failed: 0, warnings: 0 };
  let final: FinalStatus | undefined;
  request.on(
    'response',
    (
      response: DimseResponse & {
        getRemaining(): number;
        getCompleted(): number;
        getFailures(): number;
        getWarnings(): number;
      },
    ) => {
      outcome = {
        completed: response.getCompleted() ?? 0,
        failed: response.getFailures() ?? 0,
        warnings: response.getWarnings() ?? 0,
      };
      const status = response.getStatus();
      if (status === Status.Pending) {
        const done = outcome.completed + outcome.failed + outcome.warnings;
        options.onProgress?.(done, done + (response.getRemaining() ?? 0));
      } else {
        final = { status, comment: response.getErrorComment() ?? '' };
      }
    },
  );
  // A retrieve runs as long as the study takes: no PDU timeout between the peer's updates.
  await runAssociation(
    peer,
    [request],
    { ...options, timeoutMs: options.timeoutMs ?? 600_000 },
    () => final !== undefined,
  );
  if (final === undefined) throw statusError(peer, 'C-MOVE', -1, 'no final response');
  // Success, or a warning (0xB000) when some sub-operations failed: the counts say which.
  // 0xA801 says it plainly; Orthanc answers 0xC000 ("unable to process") for the same cause.
  if (
    final.status === MOVE_DESTINATION_UNKNOWN ||
    (final.status === UNABLE_TO_PROCESS && outcome.completed === 0)
  )
    throw new AppError(
      'REMOTE_UNREACHABLE',
      `${describe(peer)} refused the retrieve (status 0x${final.status.toString(16)}${final.comment === '' ? '' : `, ${final.comment}`}): it most likely does not know our AE title "${destinationAeTitle}" as a move destination. Add it to the PACS's DICOM nodes (modalities) with this workstation's host and listener port.`,
      { status: final.status },
    );
  if (final.status !== Status.Success && final.status !== 0xb000)
    throw statusError(peer, 'C-MOVE', final.status, final.comment);
  return outcome;
}

export interface StoreOutcome {
  sent: number;
  failed: { path: string; status: number; comment: string }[];
}

/** C-STORE of Part 10 files, in one association; each file's status is reported. */
export async function storeFiles(
  peer: DicomPeer,
  paths: readonly string[],
  options: ScuOptions & { onProgress?: (done: number, total: number) => void },
): Promise<StoreOutcome> {
  if (paths.length === 0) return { sent: 0, failed: [] };
  const outcome: StoreOutcome = { sent: 0, failed: [] };
  let done = 0;
  const requests = paths.map((path) => {
    // By path: the library reads each file only when its turn comes (memory stays small).
    const request = new CStoreRequest(path);
    request.on('response', (response: DimseResponse) => {
      const status = response.getStatus();
      // 0xB000-0xBFFF are warnings: the instance is stored (e.g. coerced attributes).
      if (status === Status.Success || (status & 0xf000) === 0xb000) outcome.sent++;
      else outcome.failed.push({ path, status, comment: response.getErrorComment() ?? '' });
      done++;
      options.onProgress?.(done, paths.length);
    });
    return request;
  });
  await runAssociation(peer, requests, options, () => done === paths.length);
  if (done < paths.length)
    throw new AppError(
      'REMOTE_UNREACHABLE',
      `${describe(peer)} closed the association after ${done} of ${paths.length} files.`,
    );
  return outcome;
}

export interface SeriesMatch {
  seriesInstanceUid: string;
  seriesNumber: number | null;
  modality: string | null;
  seriesDescription: string | null;
  instances: number | null;
}

function seriesMatchOf(elements: Record<string, unknown>): SeriesMatch | null {
  const seriesInstanceUid = text(elements['SeriesInstanceUID']);
  if (seriesInstanceUid === null) return null;
  const number = Number(text(elements['SeriesNumber']) ?? 'x');
  const count = Number(text(elements['NumberOfSeriesRelatedInstances']) ?? 'x');
  return {
    seriesInstanceUid,
    seriesNumber: Number.isFinite(number) ? number : null,
    modality: text(elements['Modality']),
    seriesDescription: text(elements['SeriesDescription']),
    instances: Number.isFinite(count) ? count : null,
  };
}

/** C-FIND at series level (Study Root): the series of one study, by series number. */
export async function findSeries(
  peer: DicomPeer,
  studyInstanceUid: string,
  options: ScuOptions & { maxResults?: number },
): Promise<SeriesMatch[]> {
  const request = CFindRequest.createSeriesFindRequest({
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: '',
    SeriesNumber: '',
    Modality: '',
    SeriesDescription: '',
    NumberOfSeriesRelatedInstances: '',
  });
  const matches = await runFind(peer, request, options, options.maxResults ?? 1000, seriesMatchOf);
  return matches.sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9));
}
