const root = process.cwd();
const { correctTranscript } = await import(root + '/dist/src-main/core/speech/speech-vocabulary.js');
const { wordErrorRate } = await import(root + '/dist/src-main/core/speech/word-error-rate.js');
const pairs = JSON.parse((await import('node:fs')).readFileSync('/tmp/v19/hyp.json', 'utf8'));
const fixed = pairs.map(p => { const c = correctTranscript(p.hypothesis); if (process.env.V) console.log(c.corrections.map(x => `${x.from}→${x.to} ${x.likeness}`).join(' | ')); return { reference: p.reference, hypothesis: c.text }; });
console.log('plain', wordErrorRate(pairs.slice(0,20)).toFixed(3), wordErrorRate(pairs.slice(20)).toFixed(3), 'corrected', wordErrorRate(fixed.slice(0,20)).toFixed(3), wordErrorRate(fixed.slice(20)).toFixed(3));
