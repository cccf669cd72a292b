#!/usr/bin/env node
// `npm run bench:voice`: the word error rate of voice captions, printed, not asserted.
// Radiology and dental sentences are spoken by espeak-ng, encoded as MediaRecorder would (Opus
// in WebM), decoded and transcribed by the Moonshine tiny model in the inference process, then
// corrected with the dental/radiology vocabulary. Columns: plain greedy decoding; greedy with
// the vocabulary bias and post-correction (the app before beam search); beam search with the
// domain language model alone; and the app: beam search + language model + bias +
// post-correction. Two sets: the development sentences (the vocabulary's matching and the beam
// search's settings were tuned on them) and held-out sentences (written before tuning).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = (p) => import(join(root, 'dist/src-main/core', p));
if (!existsSync(join(root, 'dist/src-main/core/speech/speech-recognizer.js'))) {
  console.error('Build first: npm run build:core');
  process.exit(1);
}
const { createInferenceEngine } = await dist('inference/inference-engine.js');
const { createModelRegistry } = await dist('inference/model-registry.js');
const { memoryLogger } = await dist('platform/logger.js');
const { moonshineTiny } = await dist('speech/moonshine-model.js');
const { createSpeechRecognizer } = await dist('speech/speech-recognizer.js');
const { correctTranscript, DENTAL_RADIOLOGY_VOCABULARY, VOCABULARY_BIAS } = await dist(
  'speech/speech-vocabulary.js',
);
const { appBeamSearch, domainCaptionScore, DOMAIN_LANGUAGE_MODEL_VERSION } = await dist(
  'speech/domain-language-model.js',
);
const { decodeWebmSpeech } = await dist('speech/webm-audio.js');
const { wordErrorRate } = await dist('speech/word-error-rate.js');
const { encodeWebmOpus } = await dist('speech/testing/webm-opus-writer.js');
const { hasEspeak, synthesiseSpeech } = await dist('speech/testing/espeak.js');
const { RADIOLOGY_SENTENCES, HELD_OUT_SENTENCES } = await dist(
  'speech/testing/radiology-sentences.js',
);

if (!(await hasEspeak())) {
  console.error(
    'espeak-ng is not installed: run scripts/install.sh (or apt-get install espeak-ng).',
  );
  process.exit(1);
}
const verbose = process.argv.includes('--verbose');
const engine = createInferenceEngine({
  registry: createModelRegistry(join(root, 'models')),
  logger: memoryLogger(),
});
const recognizer = createSpeechRecognizer(engine, moonshineTiny);

async function measure(name, sentences) {
  const plain = [];
  const greedyApp = [];
  const beamOnly = [];
  const app = [];
  let audioSeconds = 0;
  let greedyMs = 0;
  let appMs = 0;
  const bias = { terms: DENTAL_RADIOLOGY_VOCABULARY.terms, ...VOCABULARY_BIAS };
  const beam = appBeamSearch();
  for (const reference of sentences) {
    const speech = await synthesiseSpeech(reference);
    const decoded = await decodeWebmSpeech(encodeWebmOpus(speech.samples, speech.sampleRate));
    audioSeconds += decoded.seconds;
    const heard = await recognizer.transcribe(decoded.samples);
    const leaning = await recognizer.transcribe(decoded.samples, { bias });
    const searched = await recognizer.transcribe(decoded.samples, { beam });
    const final = await recognizer.transcribe(decoded.samples, { bias, beam });
    greedyMs += heard.ms;
    appMs += final.ms;
    const fixed = correctTranscript(
      final.text,
      DENTAL_RADIOLOGY_VOCABULARY,
      domainCaptionScore,
    ).text;
    plain.push({ reference, hypothesis: heard.text });
    greedyApp.push({ reference, hypothesis: correctTranscript(leaning.text).text });
    beamOnly.push({ reference, hypothesis: searched.text });
    app.push({ reference, hypothesis: fixed });
    if (verbose)
      console.log(
        `  ref:    ${reference}\n  plain:  ${heard.text}\n  beam:   ${searched.text}\n  app:    ${fixed}`,
      );
  }
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `${name.padEnd(16)} ${String(sentences.length).padStart(2)} recordings  WER plain greedy ${pct(wordErrorRate(plain))}` +
      ` | greedy + bias + post-correction ${pct(wordErrorRate(greedyApp))}` +
      ` | beam + LM ${pct(wordErrorRate(beamOnly))}` +
      ` | beam + LM + bias + post-correction (the app) ${pct(wordErrorRate(app))}` +
      `  (real-time factor: greedy ${(greedyMs / 1000 / audioSeconds).toFixed(2)}, the app ${(appMs / 1000 / audioSeconds).toFixed(2)})`,
  );
}

console.log(
  `Voice captions: ${moonshineTiny().label}, quantised; vocabulary ${DENTAL_RADIOLOGY_VOCABULARY.version}; ` +
    `language model ${DOMAIN_LANGUAGE_MODEL_VERSION} (weight ${appBeamSearch().lmWeight}, beam width ${appBeamSearch().width}); ` +
    `espeak-ng en-us 160 wpm, Opus 32 kbit/s in WebM`,
);
await measure('development', RADIOLOGY_SENTENCES);
await measure('held out', HELD_OUT_SENTENCES);
// Captions of several sentences (cut into segments at pauses): each set's sentences, four to a
// caption (the held-out set's last caption has two).
const captionsOf = (sentences) => {
  const captions = [];
  for (let i = 0; i < sentences.length; i += 4) captions.push(sentences.slice(i, i + 4).join(' '));
  return captions;
};
await measure('dev, 4 a caption', captionsOf(RADIOLOGY_SENTENCES));
await measure('held out, 4 a c.', captionsOf(HELD_OUT_SENTENCES));
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
await engine.close();
