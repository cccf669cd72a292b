import { join, sep } from 'node:path';
import { appRoot } from './version.js';

const ASAR = `${sep}app.asar${sep}`;
const ASAR_UNPACKED = `${sep}app.asar.unpacked${sep}`;

/**
 * The real-disk path of a file the installer unpacked from the app's asar archive
 * (electron-builder.yml: asarUnpack). Native code (onnxruntime opening a model by path) and
 * plain Node cannot read inside app.asar, so paths into it are mapped to app.asar.unpacked;
 * other paths (a development checkout, NEUROSPHERE_MODELS_DIR) are returned unchanged.
 */
export function unpackedPath(path: string): string {
  const at = path.lastIndexOf(ASAR);
  if (at === -1) return path.endsWith(`${sep}app.asar`) ? `${path}.unpacked` : path;
  return path.slice(0, at) + ASAR_UNPACKED + path.slice(at + ASAR.length);
}

/** The app's own models folder: `<app root>/models`, unpacked from the asar when installed. */
export function defaultModelsDir(root: string = appRoot()): string {
  return unpackedPath(join(root, 'models'));
}
