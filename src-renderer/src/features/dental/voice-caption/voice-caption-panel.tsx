import { useCallback, useEffect, useRef, useState } from 'react';
import type { DentalVoiceCaption } from '../../../../../src-shared/contract/dental.js';
import { useApi } from '../../../api/api-context.js';
import { errorMessage } from '../../../api/client.js';
import { useCan } from '../../../app/use-permission.js';
import { ErrorMessage } from '../../../ui/error-message.js';
import { useVoiceRecorder } from './use-voice-recorder.js';
import { VoiceCaptionItem } from './voice-caption-item.js';

const POLL_MS = 500;
type Modality = DentalVoiceCaption['modality'];

/**
 * Voice captions of one dental case, self-contained so a case page can mount it: record in the
 * app (MediaRecorder, WebM/Opus) or upload a .webm file; each recording is transcribed by a job
 * (progress, Cancel); the transcript is edited like a text caption and the audio plays back.
 */
export function VoiceCaptionPanel({ caseId }: { caseId: string }) {
  const api = useApi();
  const canWrite = useCan('scans.write');
  const recorder = useVoiceRecorder();
  const fileInput = useRef<HTMLInputElement>(null);
  const [captions, setCaptions] = useState<DentalVoiceCaption[] | null>(null);
  const [modality, setModality] = useState<Modality>('case');
  const [uploading, setUploading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCaptions(await api.call('dental.voiceCaptions.list', { caseId }));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [api, caseId]);

  useEffect(() => void refresh(), [refresh]);
  // While a transcription runs, follow its progress.
  const working = captions?.some((c) => c.status === 'pending' || c.status === 'processing');
  useEffect(() => {
    if (working !== true) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [working, refresh]);

  async function send(file: Blob, name: string): Promise<void> {
    setError(null);
    setUploading(0);
    try {
      await api.stream(
        'dental.voiceCaptions.upload',
        { caseId, modality, name },
        { body: file, onProgress: (sent) => setUploading(file.size === 0 ? 1 : sent / file.size) },
      );
      await refresh();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setUploading(null);
    }
  }

  async function stopAndSend(): Promise<void> {
    const recording = await recorder.stop();
    if (recording === null) {
      setError('Nothing was recorded: record the caption again.');
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await send(recording, `caption-${stamp}.webm`);
  }

  const recording = recorder.state.phase === 'recording';
  return (
    <section className="voice-captions" data-testid="voice-captions">
      <h3>Voice captions</h3>
      {canWrite && (
        <div className="voice-caption-actions">
          <label>
            For{' '}
            <select
              value={modality}
              onChange={(event) => setModality(event.target.value as Modality)}
              data-testid="voice-caption-modality"
            >
              <option value="case">the whole case</option>
              <option value="upper">the upper jaw</option>
              <option value="lower">the lower jaw</option>
              <option value="cbct">the CBCT</option>
            </select>
          </label>
          {recording ? (
            <button
              type="button"
              className="button"
              onClick={() => void stopAndSend()}
              data-testid="voice-caption-stop"
            >
              Stop and transcribe (
              {recorder.state.phase === 'recording' ? recorder.state.seconds : 0} s)
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={uploading !== null}
              onClick={() => void recorder.start()}
              data-testid="voice-caption-record"
            >
              Record a caption
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={uploading !== null || recording}
            onClick={() => fileInput.current?.click()}
            data-testid="voice-caption-upload"
          >
            Upload a .webm…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".webm,audio/webm"
            hidden
            data-testid="voice-caption-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file !== undefined) void send(file, file.name);
            }}
          />
          {uploading !== null && (
            <span data-testid="voice-caption-uploading">
              Uploading… {Math.round(uploading * 100)} %
            </span>
          )}
        </div>
      )}
      {recorder.state.phase === 'unavailable' && <ErrorMessage message={recorder.state.reason} />}
      <ErrorMessage message={error} />
      {captions === null ? (
        <p className="table-placeholder">Loading voice captions…</p>
      ) : captions.length === 0 ? (
        <p className="table-placeholder">No voice captions yet.</p>
      ) : (
        <ul className="voice-caption-list">
          {captions.map((voice) => (
            <VoiceCaptionItem
              key={voice.id}
              voice={voice}
              canWrite={canWrite}
              onChanged={() => void refresh()}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
