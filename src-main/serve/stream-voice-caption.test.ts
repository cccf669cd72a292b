import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DentalCaption,
  DentalCase,
  DentalRegistryFile,
  DentalVoiceCaption,
} from '../../src-shared/contract/dental.js';
import type { Page } from '../../src-shared/contract/entities.js';
import { synthesiseSpeech } from '../core/speech/testing/espeak.js';
import { encodeWebmOpus } from '../core/speech/testing/webm-opus-writer.js';
import { wordErrorRate } from '../core/speech/word-error-rate.js';
import { makeBinaryStl, TETRAHEDRON } from '../test-support/volume-fixtures.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  streamUrl,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const SPOKEN = 'The mandibular canal runs close to the roots of the third molar.';

// A real server and core: a spoken caption (espeak-ng → Opus → WebM) uploaded to a dental case,
// transcribed by the Moonshine model in the inference process, edited, and played back.
describe('voice captions of dental cases over HTTP (issue 19)', () => {
  let ctx: TestServer;
  let token: string;
  let webm: Uint8Array;
  let dentalCase: DentalCase;

  const call = <T>(method: string, input: unknown) =>
    rpc(ctx.server, method, input, token).then((r) => valueOf<T>(r));
  const upload = (caseId: string, body: Uint8Array, name = 'caption.webm') =>
    fetch(streamUrl(ctx.server, 'dental.voiceCaptions.upload', { caseId, name }), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` },
      body,
    });

  beforeAll(async () => {
    ctx = await startTestServer();
    token = await setUpAdmin(ctx.server);
    const speech = await synthesiseSpeech(SPOKEN);
    webm = encodeWebmOpus(speech.samples, speech.sampleRate);
    const stl = join(ctx.root, 'upper.stl');
    writeFileSync(stl, makeBinaryStl(TETRAHEDRON));
    dentalCase = await call<DentalCase>('dental.cases.create', { name: 'Voice', upperStl: stl });
  }, 60_000);
  afterAll(() => ctx.cleanup());

  async function finished(id: string): Promise<DentalVoiceCaption> {
    for (let i = 0; i < 600; i++) {
      const v = await call<DentalVoiceCaption>('dental.voiceCaptions.get', { id });
      if (v.status !== 'pending' && v.status !== 'processing') return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the transcription did not finish');
  }

  it('transcribes an uploaded WebM, keeps the raw transcript, and the caption is editable and the audio playable', async () => {
    const response = await upload(dentalCase.id, webm);
    expect(response.status).toBe(200);
    const created = ((await response.json()) as { value: DentalVoiceCaption }).value;
    expect(created).toMatchObject({ caseId: dentalCase.id, mimeType: 'audio/webm', caption: null });
    expect(created.sha256).toBe(sha256(webm));

    const done = await finished(created.id);
    expect(done.status).toBe('completed');
    expect(done.seconds).toBeGreaterThan(2);
    expect(done.rawTranscript).not.toBeNull();
    expect(done.vocabularyVersion).toBe('dental-radiology-1');
    expect(done.caption?.text).toBe(done.correctedTranscript);
    // Synthetic speech and the tiny model: most of the words, not all (see docs/voice-captions.md).
    const wer = wordErrorRate([{ reference: SPOKEN, hypothesis: done.caption?.text ?? '' }]);
    expect(wer).toBeLessThanOrEqual(0.35);

    // The transcript is a text caption: edited with its history.
    const edited = await call<DentalCaption>('dental.captions.edit', {
      id: done.caption?.id,
      text: SPOKEN,
    });
    expect(edited.history.map((h) => h.text)).toEqual([done.correctedTranscript, SPOKEN]);
    const again = await call<DentalVoiceCaption>('dental.voiceCaptions.get', { id: done.id });
    expect(again.caption?.text).toBe(SPOKEN);
    expect(again.rawTranscript).toBe(done.rawTranscript);

    // The recording is in the file registry as audio, and plays back as audio/webm.
    const audio = await call<Page<DentalRegistryFile>>('dental.files.list', {
      caseId: dentalCase.id,
      type: 'audio',
    });
    expect(audio.items.map((f) => [f.id, f.role, f.mimeType])).toEqual([
      [done.id, 'caption', 'audio/webm'],
    ]);
    const played = await fetch(streamUrl(ctx.server, 'dental.file', { fileId: done.id }), {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/webm');
    expect(sha256(new Uint8Array(await played.arrayBuffer()))).toBe(sha256(webm));

    const listed = await call<DentalVoiceCaption[]>('dental.voiceCaptions.list', {
      caseId: dentalCase.id,
    });
    expect(listed.map((v) => v.id)).toEqual([done.id]);
  }, 120_000);

  it('refuses a file that is not a WebM/Opus recording, and an unknown case, saying why', async () => {
    const notWebm = await upload(dentalCase.id, new TextEncoder().encode('RIFF....WAVEfmt '));
    expect(notWebm.status).toBe(400);
    const body = (await notWebm.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNSUPPORTED_FORMAT');
    expect(body.error.message).toMatch(/not a readable WebM/);

    const unknown = await upload('0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e', webm);
    expect(unknown.status).toBe(404);
    const none = await call<DentalVoiceCaption[]>('dental.voiceCaptions.list', {
      caseId: dentalCase.id,
    });
    expect(none.length).toBe(1);
  });
});
