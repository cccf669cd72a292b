import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import llamaTokenizer from 'llama-tokenizer-js';
import { AppError } from '../../../src-shared/errors.js';

// The Moonshine speech model as the @moonshine-ai/moonshine-js package ships it: the English
// "tiny" model (MIT), quantised, in the package's dist/model folder. Nothing is downloaded.

export const MOONSHINE_PACKAGE = '@moonshine-ai/moonshine-js';

export interface MoonshineModel {
  id: string;
  /** What the caption records as its transcriber. */
  label: string;
  encoderPath: string;
  decoderPath: string;
  layers: number;
  heads: number;
  headSize: number;
  startToken: number;
  endToken: number;
}

/** The package's folder, found up the tree from here (its exports name only the browser bundle). */
function packageDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', ...MOONSHINE_PACKAGE.split('/'));
    if (existsSync(candidate)) return candidate.replace(/app\.asar([/\\])/, 'app.asar.unpacked$1');
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The tiny English model, with the decoder's cache shape from the package's model.ts. */
export function moonshineTiny(): MoonshineModel {
  const root = packageDir();
  const folder = root === null ? '' : join(root, 'dist', 'model', 'tiny', 'quantized');
  const encoderPath = join(folder, 'encoder_model.onnx');
  const decoderPath = join(folder, 'decoder_model_merged.onnx');
  if (root === null || !existsSync(encoderPath) || !existsSync(decoderPath))
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `The speech model is not installed (the ${MOONSHINE_PACKAGE} package and its model files are missing): reinstall Neurosphere.`,
    );
  return {
    id: 'moonshine-tiny',
    label: 'Moonshine tiny (English)',
    encoderPath,
    decoderPath,
    layers: 6,
    heads: 8,
    headSize: 36,
    startToken: 1,
    endToken: 2,
  };
}

/** The model's tokens as text (Moonshine uses the Llama tokenizer's vocabulary). */
export function decodeMoonshineTokens(tokens: readonly number[]): string {
  const known = tokens.filter((t) => t >= 0 && t < llamaTokenizer.vocabById.length);
  if (known.length === 0) return '';
  return llamaTokenizer.decode([1, ...known]).trim();
}

/**
 * A term's token sequences as the model writes it mid-sentence and at a sentence's start (with
 * a leading space, lower case and capitalised), for vocabulary biasing.
 */
export function moonshineTermTokens(term: string): number[][] {
  const forms = new Set([term, term[0]?.toUpperCase() + term.slice(1)]);
  return [...forms].map((form) => llamaTokenizer.encode(form, false, true, false));
}
