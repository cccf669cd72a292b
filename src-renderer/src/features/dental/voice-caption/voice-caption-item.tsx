import { useEffect, useState } from 'react';
import type { DentalVoiceCaption } from '../../../../../src-shared/contract/dental.js';
import { useApi } from '../../../api/api-context.js';
import { errorMessage } from '../../../api/client.js';
import { ErrorMessage } from '../../../ui/error-message.js';

function isWorking(v: DentalVoiceCaption): boolean {
  return v.status === 'pending' || v.status === 'processing';
}

/** The recording, fetched through the registry's download stream and played in the page. */
function Playback({ voice }: { voice: DentalVoiceCaption }) {
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (url !== null && URL.revokeObjectURL(url)), [url]);
  async function load(): Promise<void> {
    try {
      const { data } = await api.stream('dental.file', { fileId: voice.id });
      setUrl(URL.createObjectURL(new Blob([data], { type: voice.mimeType })));
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }
  if (url !== null)
    // The audio is the clinician's own dictation; its transcript below is the caption.
    return <audio controls autoPlay src={url} data-testid="voice-caption-audio" />;
  return (
    <>
      <button
        type="button"
        className="button small"
        onClick={() => void load()}
        data-testid="voice-caption-play"
      >
        Play recording
      </button>
      {error !== null && <ErrorMessage message={error} />}
    </>
  );
}

/** One voice caption: its transcription's progress (Cancel), the transcript to edit, the audio. */
export function VoiceCaptionItem(props: {
  voice: DentalVoiceCaption;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const { voice, canWrite, onChanged } = props;
  const api = useApi();
  const [draft, setDraft] = useState(voice.caption?.text ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(voice.caption?.text ?? ''), [voice.caption?.text]);

  async function act(work: () => Promise<unknown>): Promise<void> {
    setError(null);
    setBusy(true);
    try {
      await work();
      onChanged();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const caption = voice.caption;
  return (
    <li className="voice-caption" data-testid="voice-caption" data-status={voice.status}>
      <div className="voice-caption-head">
        <strong>{voice.fileName}</strong>
        {voice.seconds !== null && <span> · {voice.seconds.toFixed(1)} s</span>}
        <span> · {voice.modality}</span>
        <span> · {voice.author}</span>
      </div>
      {isWorking(voice) && (
        <div className="voice-caption-progress">
          <progress max={1} value={voice.progress} data-testid="voice-caption-progress" />
          <span> Transcribing… {Math.round(voice.progress * 100)} %</span>
          {canWrite && voice.jobId !== null && (
            <button
              type="button"
              className="button small"
              disabled={busy}
              onClick={() => void act(() => api.call('jobs.cancel', { id: voice.jobId ?? '' }))}
              data-testid="voice-caption-cancel"
            >
              Cancel
            </button>
          )}
        </div>
      )}
      {(voice.status === 'failed' || voice.status === 'cancelled') && (
        <div className="voice-caption-failed">
          <ErrorMessage
            message={
              voice.status === 'cancelled'
                ? 'The transcription was cancelled.'
                : (voice.error ?? 'The transcription failed.')
            }
          />
          {canWrite && (
            <button
              type="button"
              className="button small"
              disabled={busy}
              onClick={() =>
                void act(() => api.call('dental.voiceCaptions.retranscribe', { id: voice.id }))
              }
              data-testid="voice-caption-retry"
            >
              Transcribe again
            </button>
          )}
        </div>
      )}
      {caption !== null && (
        <form
          className="voice-caption-transcript"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => api.call('dental.captions.edit', { id: caption.id, text: draft }));
          }}
        >
          <label>
            Transcript
            <textarea
              value={draft}
              rows={3}
              readOnly={!canWrite}
              onChange={(event) => setDraft(event.target.value)}
              data-testid="voice-caption-text"
            />
          </label>
          {canWrite && (
            <button
              type="submit"
              className="button small"
              disabled={busy || draft.trim() === '' || draft === caption.text}
              data-testid="voice-caption-save"
            >
              Save transcript
            </button>
          )}
          <div className="voice-caption-meta" data-testid="voice-caption-meta">
            {caption.history.length > 1
              ? `Edited ${caption.history.length - 1} time${caption.history.length > 2 ? 's' : ''}; `
              : ''}
            heard by {voice.model ?? 'the speech model'}: “{voice.rawTranscript}”
            {voice.corrections.length > 0 &&
              ` · vocabulary ${voice.vocabularyVersion ?? ''} corrected ${voice.corrections
                .map((c) => `“${c.from}” → “${c.to}”`)
                .join(', ')}`}
          </div>
        </form>
      )}
      <Playback voice={voice} />
      {error !== null && <ErrorMessage message={error} />}
    </li>
  );
}
