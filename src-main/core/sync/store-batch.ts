import { dimse } from '../dicom-node/dimse.js';
import type { DicomPeer } from '../dicom-node/scu.js';

const { Client } = dimse;
const { CStoreRequest } = dimse.requests;
const { Status } = dimse.constants;

/** What the PACS answered for one file: stored, refused for good, or refused for now. */
export type StoreAnswer =
  | { kind: 'stored' }
  | { kind: 'refused'; status: number; comment: string }
  | { kind: 'busy'; status: number; comment: string };

export interface StoreBatchResult {
  /** Answers by index into `paths`; a file without an answer was not confirmed. */
  answers: Map<number, StoreAnswer>;
  /** Why the association ended early (connection lost, refused, timeout), or null. */
  error: string | null;
}

/** 0xA7xx Out of resources: the PACS may take it later. */
const isBusy = (status: number): boolean => (status & 0xff00) === 0xa700;

/**
 * C-STORE of Part 10 files in one association, each answer reported as it arrives (so the
 * caller records a file as sent the moment the PACS confirms it, not at the end). Never
 * throws: a lost connection is `error`, with the answers received until then.
 */
export function storeBatch(
  peer: DicomPeer,
  callingAeTitle: string,
  paths: readonly string[],
  options: { timeoutMs: number; onAnswer?: (index: number, answer: StoreAnswer) => void },
): Promise<StoreBatchResult> {
  const answers = new Map<number, StoreAnswer>();
  return new Promise((resolve) => {
    const client = new Client();
    let error: string | null = null;
    paths.forEach((path, index) => {
      const request = new CStoreRequest(path);
      request.on('response', (response: { getStatus(): number; getErrorComment(): string }) => {
        const status = response.getStatus();
        const comment = response.getErrorComment() ?? '';
        // 0xB000-0xBFFF are warnings: the instance is stored (e.g. coerced attributes).
        const answer: StoreAnswer =
          status === Status.Success || (status & 0xf000) === 0xb000
            ? { kind: 'stored' }
            : isBusy(status)
              ? { kind: 'busy', status, comment }
              : { kind: 'refused', status, comment };
        answers.set(index, answer);
        options.onAnswer?.(index, answer);
      });
      client.addRequest(request);
    });
    client.on('associationRejected', (reject: { reason: number }) => {
      error ??= `${peer.aeTitle} at ${peer.host}:${peer.port} refused the association (reason ${reject.reason}): check that it knows our AE title "${callingAeTitle}".`;
    });
    client.on('networkError', (e: Error) => {
      error ??= `Cannot reach ${peer.aeTitle} at ${peer.host}:${peer.port}: ${e.message}`;
    });
    // The library handles responses later (setImmediate): give the last ones a moment after
    // the close before counting files as unanswered.
    client.on('closed', () =>
      setTimeout(() => {
        if (error === null && answers.size < paths.length)
          error = `${peer.aeTitle} closed the association after ${answers.size} of ${paths.length} files.`;
        resolve({ answers, error });
      }, 20),
    );
    try {
      client.send(peer.host, peer.port, callingAeTitle, peer.aeTitle, {
        connectTimeout: options.timeoutMs,
        associationTimeout: options.timeoutMs,
        pduTimeout: options.timeoutMs,
      });
    } catch (e) {
      resolve({ answers, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
