import {
  VOICE_CAPTION_MAX_BYTES,
  type DentalCaption,
  type DentalVoiceCaption,
} from '../../../src-shared/contract/dental.js';
import type { Job } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-runner.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import {
  appBeamSearch,
  DOMAIN_LANGUAGE_MODEL_VERSION,
  domainCaptionScore,
} from '../speech/domain-language-model.js';
import type { SpeechRecognizer } from '../speech/speech-recognizer.js';
import {
  correctTranscript,
  DENTAL_RADIOLOGY_VOCABULARY,
  VOCABULARY_BIAS,
  type Correction,
} from '../speech/speech-vocabulary.js';
import { decodeWebmSpeech } from '../speech/webm-audio.js';
import { demuxWebmAudio } from '../speech/webm-demux.js';
import type { BlobStore } from '../store/blob-store.js';
import type { DentalRepo } from './dental-repo.js';
import type { VoiceCaptionRepo, VoiceCaptionRow } from './voice-caption-repo.js';

/** Reads an upload's body, refusing it once it passes the limit. */
async function readBody(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > VOICE_CAPTION_MAX_BYTES)
      throw new AppError(
        'FILE_TOO_LARGE',
        `A voice caption may be at most ${VOICE_CAPTION_MAX_BYTES / 1024 / 1024} MB: record a shorter caption.`,
      );
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * Voice captions of dental cases: the recording is checked (a WebM with Opus audio), stored in
 * the blob store and listed in the file registry; a `voice.transcribe` job decodes it, runs the
 * speech model and the vocabulary's corrections, and turns the transcript into a text caption,
 * which is edited (with its history) as any text caption is.
 */
export function createVoiceCaptionService(deps: {
  repo: VoiceCaptionRepo;
  dental: DentalRepo;
  writer: ClinicalWriter;
  blobs: BlobStore;
  jobs: JobQueue;
  recognizer: SpeechRecognizer;
  modelLabel: () => string;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { repo, writer, clock, ids } = deps;

  function jobOf(row: VoiceCaptionRow): Job | null {
    if (row.job_id === null) return null;
    try {
      return deps.jobs.get(row.job_id);
    } catch {
      return null;
    }
  }

  function toVoiceCaption(row: VoiceCaptionRow): DentalVoiceCaption {
    const job = jobOf(row);
    const caption: DentalCaption | null =
      row.caption_id === null ? null : (deps.dental.caption(row.caption_id) ?? null);
    return {
      id: row.id,
      caseId: row.case_id,
      modality: row.modality,
      fileName: row.file_name,
      size: row.size,
      sha256: row.sha256,
      mimeType: 'audio/webm',
      seconds: row.seconds,
      jobId: row.job_id,
      status: job?.status ?? (row.transcript === null ? 'failed' : 'completed'),
      progress: job?.progress ?? (row.transcript === null ? 0 : 1),
      error: job?.error?.message ?? null,
      rawTranscript: row.raw_transcript,
      correctedTranscript: row.transcript,
      corrections: JSON.parse(row.corrections) as Correction[],
      vocabularyVersion: row.vocabulary_version,
      model: row.model,
      caption,
      author: row.author,
      createdAt: row.created_at,
    };
  }

  function row(id: string): VoiceCaptionRow {
    const found = repo.get(id);
    if (found === undefined) throw new AppError('NOT_FOUND', 'No such voice caption.');
    return found;
  }

  function requireCase(caseId: string): void {
    if (deps.dental.caseRow(caseId) === undefined)
      throw new AppError('NOT_FOUND', 'No such dental case.');
  }

  return {
    get: (id: string): DentalVoiceCaption => toVoiceCaption(row(id)),

    list(caseId: string): DentalVoiceCaption[] {
      requireCase(caseId);
      return repo.list(caseId).map(toVoiceCaption);
    },

    /** Stores a WebM recording as a voice caption of the case and queues its transcription. */
    async upload(
      input: { caseId: string; modality: DentalCaption['modality']; name: string },
      body: AsyncIterable<Uint8Array>,
      principal: Principal | null,
    ): Promise<DentalVoiceCaption> {
      requireCase(input.caseId);
      const bytes = await readBody(body);
      if (bytes.length === 0)
        throw new AppError('INVALID_INPUT', 'The recording is empty: record the caption again.');
      // Checked before it is stored: a file that is not WebM/Opus is refused with the reason.
      const track = demuxWebmAudio(bytes);
      if (track.codecId !== 'A_OPUS')
        throw new AppError(
          'UNSUPPORTED_FORMAT',
          `The recording's audio is ${track.codecId || 'of an unknown codec'}, not Opus: record in the app or upload a WebM with Opus audio.`,
        );
      if (track.frames.length === 0)
        throw new AppError(
          'INVALID_INPUT',
          'The recording holds no sound: record the caption again.',
        );
      const blob = await deps.blobs.putBuffer(bytes);
      const actor = actorOf(principal);
      const id = ids();
      const at = clock.iso();
      const job = deps.jobs.enqueue('voice.transcribe', { voiceCaptionId: id }, actor);
      writer.write(actor, 'dental.voiceCaption.create', () => {
        repo.insert({
          id,
          caseId: input.caseId,
          modality: input.modality,
          fileName: input.name,
          sha256: blob.sha256,
          size: blob.size,
          jobId: job.id,
          author: actor ?? 'unknown',
          at,
        });
        return {
          result: undefined,
          target: input.caseId,
          details: { voiceCaptionId: id, jobId: job.id, size: blob.size, sha256: blob.sha256 },
          changes: [{ entity: 'dental_file', id, op: 'create' }],
        };
      });
      return toVoiceCaption(row(id));
    },

    /** Transcribes again (after a failure or a cancel): a new job; the earlier caption stays. */
    retranscribe(id: string, principal: Principal | null): DentalVoiceCaption {
      const current = row(id);
      const job = jobOf(current);
      if (job !== null && (job.status === 'pending' || job.status === 'processing'))
        throw new AppError('CONFLICT', 'This voice caption is being transcribed already.');
      const actor = actorOf(principal);
      const next = deps.jobs.enqueue('voice.transcribe', { voiceCaptionId: id }, actor);
      writer.write(actor, 'dental.voiceCaption.retranscribe', () => {
        repo.setJob(id, next.id, clock.iso());
        return {
          result: undefined,
          target: current.case_id,
          details: { voiceCaptionId: id, jobId: next.id },
          changes: [{ entity: 'dental_file', id, op: 'update' }],
        };
      });
      return toVoiceCaption(row(id));
    },

    /** The `voice.transcribe` job's work. */
    async transcribe(context: JobContext<{ voiceCaptionId: string }>): Promise<unknown> {
      const current = row(context.payload.voiceCaptionId);
      context.reportProgress({ progress: 0.02, stage: 'Decoding the recording' });
      const bytes = await deps.blobs.read(current.sha256);
      const speech = await decodeWebmSpeech(bytes);
      context.throwIfCancelled();
      context.reportProgress({ progress: 0.1, stage: 'Transcribing' });
      const heard = await deps.recognizer.transcribe(speech.samples, {
        onProgress: (share) =>
          context.reportProgress({ progress: 0.1 + 0.85 * share, stage: 'Transcribing' }),
        isCancelled: () => context.signal.aborted,
        bias: { terms: DENTAL_RADIOLOGY_VOCABULARY.terms, ...VOCABULARY_BIAS },
        beam: appBeamSearch(),
      });
      context.throwIfCancelled();
      const corrected = correctTranscript(
        heard.text,
        DENTAL_RADIOLOGY_VOCABULARY,
        domainCaptionScore,
      );
      if (corrected.text === '')
        throw new AppError(
          'INVALID_INPUT',
          'No speech was recognised in the recording: record the caption again, closer to the microphone.',
        );
      const at = clock.iso();
      const author = current.author;
      // The transcript becomes a text caption (version 1); a second transcription of the same
      // recording adds a version to that caption instead of a second caption.
      const captionId = current.caption_id ?? ids();
      writer.write(author, 'dental.voiceCaption.transcribe', () => {
        if (current.caption_id === null)
          deps.dental.insertCaption({
            id: captionId,
            caseId: current.case_id,
            modality: current.modality,
            text: corrected.text,
            author,
            at,
          });
        else deps.dental.editCaption(captionId, corrected.text, author, at);
        repo.saveTranscript(current.id, {
          seconds: Math.round(speech.seconds * 100) / 100,
          raw: heard.text,
          corrected: corrected.text,
          corrections: corrected.corrections,
          vocabularyVersion: DENTAL_RADIOLOGY_VOCABULARY.version,
          // The decoding's language model is part of what heard it (no column of its own).
          model: `${deps.modelLabel()}, beam search with ${DOMAIN_LANGUAGE_MODEL_VERSION}`,
          captionId,
          at,
        });
        return {
          result: undefined,
          target: current.case_id,
          details: {
            voiceCaptionId: current.id,
            captionId,
            corrections: corrected.corrections.length,
            seconds: speech.seconds,
          },
          changes: [
            {
              entity: 'dental_caption',
              id: captionId,
              op: current.caption_id === null ? 'create' : 'update',
            },
            { entity: 'dental_file', id: current.id, op: 'update' },
          ],
        };
      });
      context.reportProgress({ progress: 1, stage: 'Transcribed' });
      return { voiceCaptionId: current.id, captionId, words: corrected.text.split(' ').length };
    },
  };
}
export type VoiceCaptionService = ReturnType<typeof createVoiceCaptionService>;
