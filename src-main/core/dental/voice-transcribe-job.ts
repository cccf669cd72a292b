import { parseJobPayload } from '../jobs/job-payload.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { VoiceCaptionService } from './voice-caption-service.js';

/**
 * The `voice.transcribe` job: decode a voice caption's recording, transcribe it, correct it with
 * the vocabulary and store the transcript as a text caption. Transcribing again gives the same
 * text, so an interrupted job simply runs again.
 */
export function createVoiceTranscribeJobRunner(deps: {
  /** Read when the job runs (the voice caption service is made after the queue). */
  voice: () => VoiceCaptionService;
}): JobRunner<{ voiceCaptionId: string }> {
  return {
    type: 'voice.transcribe',
    isResumable: true,
    // A recording that crashed the inference process would crash it again.
    resumesAfterCrash: false,
    parsePayload: (payload) => parseJobPayload('voice.transcribe', payload),
    run: (context) => deps.voice().transcribe(context),
  };
}
