import { readFile } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors.js';
import type { DicomWebClient } from '../dicomweb/dicomweb-client.js';
import { DicomWebUnavailable } from '../dicomweb/dicomweb-client.js';
import { errorMessage } from './error-message.js';
import type { StoreAnswer, StoreBatchResult } from './store-batch.js';

/** 0xA7xx Out of resources: the PACS may take it later. */
const isBusy = (reason: number | null): boolean => reason !== null && (reason & 0xff00) === 0xa700;
/** 0x0111 Duplicate SOP Instance: the PACS has it already, which is what we wanted. */
const DUPLICATE_SOP_INSTANCE = 0x0111;

/**
 * STOW-RS of Part 10 files in one request (the DICOMweb twin of `storeBatch`): each file's
 * answer by its SOP Instance UID, as the PACS lists it in its response. A file the response does
 * not name was not confirmed (sent again later, under the same UID). Never throws: no answer
 * (network, 5xx, credentials) is `error`.
 */
export async function stowBatch(
  client: DicomWebClient,
  files: readonly { path: string; sopInstanceUid: string }[],
  onAnswer: (index: number, answer: StoreAnswer) => void,
  together: (record: () => void) => void = (record) => record(),
): Promise<StoreBatchResult> {
  const answers = new Map<number, StoreAnswer>();
  let bodies: Buffer[];
  try {
    bodies = await Promise.all(files.map((f) => readFile(f.path)));
  } catch (error) {
    return { answers, error: `Could not read a file to send: ${errorMessage(error)}` };
  }
  try {
    const response = await client.store(bodies);
    // One response answers every file: one commit (one fsync) for all of them.
    together(() =>
      files.forEach((file, index) => {
        let answer: StoreAnswer | null = null;
        const failed = response.failed.get(file.sopInstanceUid);
        if (response.stored.has(file.sopInstanceUid)) answer = { kind: 'stored' };
        else if (failed !== undefined) {
          const status = failed.reason ?? 0;
          answer =
            failed.reason === DUPLICATE_SOP_INSTANCE
              ? { kind: 'stored' }
              : isBusy(failed.reason)
                ? { kind: 'busy', status, comment: failed.text }
                : { kind: 'refused', status, comment: failed.text };
        }
        if (answer !== null) {
          answers.set(index, answer);
          onAnswer(index, answer);
        }
      }),
    );
    const unanswered = files.length - answers.size;
    return {
      answers,
      error:
        unanswered === 0
          ? null
          : `${client.root} answered HTTP ${response.httpStatus} without naming ${unanswered} of ${files.length} instances.`,
    };
  } catch (error) {
    if (error instanceof DicomWebUnavailable || error instanceof AppError)
      return { answers, error: error.message };
    return { answers, error: `STOW-RS to ${client.root} failed: ${errorMessage(error)}` };
  }
}
