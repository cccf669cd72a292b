import type { ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';

/** A direction in patient space (DICOM LPS: +x to the patient's left, +y posterior, +z up). */
export type Vector3 = ReadonlyVector3;

/** What cornerstone does to the image on screen: rotation clockwise in degrees, then flips. */
export interface ViewTransform {
  readonly rotation: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
}

export interface OrientationMarkers {
  readonly top: string;
  readonly bottom: string;
  readonly left: string;
  readonly right: string;
}

const LETTERS: ReadonlyArray<readonly [string, string]> = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
];

/** Components smaller than this do not earn a letter: an axial slice tilted by 10° stays "A". */
const OBLIQUE_THRESHOLD = 0.3;

/**
 * The letters for a patient-space direction, strongest component first: "L", "A", or "LA" for
 * an oblique one. This is the convention of every PACS viewer (and of cornerstone-tools).
 */
export function directionLetters(vector: Vector3): string {
  return vector
    .map((value, axis) => ({ value, axis }))
    .filter(({ value }) => Math.abs(value) >= OBLIQUE_THRESHOLD)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .map(({ value, axis }) => LETTERS[axis]![value > 0 ? 0 : 1])
    .join('');
}

/**
 * Which image direction (column step, row step) ends up pointing along screen vector `screen`.
 * cornerstone draws screen = R · F · image (rotate clockwise by `rotation`, after flipping), so
 * image = F⁻¹ · R⁻¹ · screen, and F is its own inverse.
 */
function imageDirectionOnScreen(
  screen: readonly [number, number],
  view: ViewTransform,
): [number, number] {
  const angle = (view.rotation * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const x = cos * screen[0] + sin * screen[1];
  const y = -sin * screen[0] + cos * screen[1];
  return [view.hflip ? -x : x, view.vflip ? -y : y];
}

/**
 * The letters at each edge of the viewport for an image whose columns run along `columnAxis`
 * (left to right in the image) and rows along `rowAxis` (top to bottom), as shown with `view`.
 */
export function orientationMarkers(
  columnAxis: Vector3,
  rowAxis: Vector3,
  view: ViewTransform,
): OrientationMarkers {
  const at = (screen: [number, number]): string => {
    const [i, j] = imageDirectionOnScreen(screen, view);
    return directionLetters([
      i * columnAxis[0] + j * rowAxis[0],
      i * columnAxis[1] + j * rowAxis[1],
      i * columnAxis[2] + j * rowAxis[2],
    ]);
  };
  return { right: at([1, 0]), left: at([-1, 0]), bottom: at([0, 1]), top: at([0, -1]) };
}

/** The next rotation after turning by `degrees` (kept in 0..359). */
export function rotatedBy(rotation: number, degrees: number): number {
  return (((rotation + degrees) % 360) + 360) % 360;
}
