import { useEffect, useRef, useState } from 'react';

/** The container and codec the core decodes; Chromium's MediaRecorder writes it. */
export const RECORDING_TYPE = 'audio/webm;codecs=opus';

export type RecorderState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'recording'; readonly seconds: number }
  | { readonly phase: 'unavailable'; readonly reason: string };

/**
 * Records from the microphone with MediaRecorder as WebM/Opus. `stop` resolves with the
 * recording; the microphone is released as soon as recording stops (or the component goes).
 */
export function useVoiceRecorder() {
  const [state, setState] = useState<RecorderState>({ phase: 'idle' });
  const recorder = useRef<MediaRecorder | null>(null);
  const finished = useRef<((blob: Blob | null) => void) | null>(null);

  useEffect(
    () => () => {
      const r = recorder.current;
      if (r !== null && r.state !== 'inactive') r.stop();
      r?.stream.getTracks().forEach((t) => t.stop());
    },
    [],
  );

  async function start(): Promise<void> {
    if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported(RECORDING_TYPE)) {
      setState({
        phase: 'unavailable',
        reason: 'This window cannot record WebM/Opus audio: upload a .webm recording instead.',
      });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      setState({
        phase: 'unavailable',
        reason:
          'No microphone could be used (none connected, or access was refused): allow the microphone or upload a .webm recording.',
      });
      return;
    }
    const chunks: Blob[] = [];
    const r = new MediaRecorder(stream, { mimeType: RECORDING_TYPE });
    const startedAt = Date.now();
    const ticker = setInterval(
      () => setState({ phase: 'recording', seconds: Math.floor((Date.now() - startedAt) / 1000) }),
      500,
    );
    r.ondataavailable = (event) => chunks.push(event.data);
    r.onstop = () => {
      clearInterval(ticker);
      stream.getTracks().forEach((t) => t.stop());
      setState({ phase: 'idle' });
      finished.current?.(chunks.length === 0 ? null : new Blob(chunks, { type: 'audio/webm' }));
      finished.current = null;
    };
    recorder.current = r;
    r.start(1000);
    setState({ phase: 'recording', seconds: 0 });
  }

  function stop(): Promise<Blob | null> {
    const r = recorder.current;
    if (r === null || r.state === 'inactive') return Promise.resolve(null);
    return new Promise((resolve) => {
      finished.current = resolve;
      r.stop();
    });
  }

  return { state, start, stop };
}
