import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when espeak-ng is installed (scripts/install.sh installs it). */
export async function hasEspeak(): Promise<boolean> {
  try {
    await run('espeak-ng', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Speaks a sentence with espeak-ng: mono samples and their rate (22,050 Hz). */
export async function synthesiseSpeech(
  sentence: string,
  options: { voice?: string; wordsPerMinute?: number } = {},
): Promise<{ samples: Float32Array; sampleRate: number }> {
  const { stdout } = await run(
    'espeak-ng',
    [
      '-v',
      options.voice ?? 'en-us',
      '-s',
      String(options.wordsPerMinute ?? 160),
      '--stdout',
      sentence,
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const wav = stdout;
  if (wav.toString('ascii', 0, 4) !== 'RIFF') throw new Error('espeak-ng wrote no WAV data');
  const sampleRate = wav.readUInt32LE(24);
  // Find the data chunk (espeak-ng's header is the plain 44 bytes, but walk it to be sure).
  let at = 12;
  while (at + 8 <= wav.length && wav.toString('ascii', at, at + 4) !== 'data')
    at += 8 + wav.readUInt32LE(at + 4);
  const start = at + 8;
  // Streamed WAVs carry a placeholder size: read to the end.
  const count = Math.floor((wav.length - start) / 2);
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i++) samples[i] = wav.readInt16LE(start + 2 * i) / 32768;
  return { samples, sampleRate };
}
