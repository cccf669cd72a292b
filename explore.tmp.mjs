const root = process.cwd();
const d = (p) => import(root + '/dist/src-main/core/' + p);
const { createInferenceEngine } = await d('inference/inference-engine.js');
const { memoryLogger } = await d('platform/logger.js');
const { moonshineTiny } = await d('speech/moonshine-model.js');
const { createSpeechRecognizer } = await d('speech/speech-recognizer.js');
const { decodeWebmSpeech } = await d('speech/webm-audio.js');
const { encodeWebmOpus } = await d('speech/testing/webm-opus-writer.js');
const { synthesiseSpeech } = await d('speech/testing/espeak.js');
const { RADIOLOGY_SENTENCES, HELD_OUT_SENTENCES } = await d('speech/testing/radiology-sentences.js');
const { wordErrorRate } = await d('speech/word-error-rate.js');
const engine = createInferenceEngine({ registry: { verify() { throw new Error('x'); } }, logger: memoryLogger(), threads: 2 });
const rec = createSpeechRecognizer(engine, moonshineTiny);
const [voice, wpm] = [process.argv[2] ?? 'en-us', Number(process.argv[3] ?? 160)];
const pairs = [];
for (const s of [...RADIOLOGY_SENTENCES, ...HELD_OUT_SENTENCES]) {
  const sp = await synthesiseSpeech(s, { voice, wordsPerMinute: wpm });
  const webm = encodeWebmOpus(sp.samples, sp.sampleRate);
  const audio = await decodeWebmSpeech(webm);
  const t = await rec.transcribe(audio.samples);
  pairs.push({ reference: s, hypothesis: t.text });
  console.log(JSON.stringify(t.text));
}
console.log(voice, wpm, 'WER', wordErrorRate(pairs.slice(0,20)), wordErrorRate(pairs.slice(20)));
(await import('node:fs')).writeFileSync('/tmp/v19/hyp.json', JSON.stringify(pairs));
await engine.close();
