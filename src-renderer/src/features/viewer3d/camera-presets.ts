type Triple = readonly [number, number, number];

/** Standard views, named by the side of the patient the camera looks from. */
export const CAMERA_PRESETS = [
  'anterior',
  'posterior',
  'left',
  'right',
  'superior',
  'inferior',
] as const;
export type CameraPreset = (typeof CAMERA_PRESETS)[number];

export const CAMERA_PRESET_NAMES: Readonly<Record<CameraPreset, string>> = {
  anterior: 'Front',
  posterior: 'Back',
  left: 'Left',
  right: 'Right',
  superior: 'Top',
  inferior: 'Bottom',
};

/**
 * Where the camera sits (unit vector from the centre, patient LPS: +x left, +y posterior,
 * +z superior) and which way is up on screen. Seen from the front, the patient's left is on
 * the screen's right, as in a frontal photograph; from above and below, the face is at the top.
 */
export const CAMERA_VIEWS: Readonly<Record<CameraPreset, { from: Triple; up: Triple }>> = {
  anterior: { from: [0, -1, 0], up: [0, 0, 1] },
  posterior: { from: [0, 1, 0], up: [0, 0, 1] },
  left: { from: [1, 0, 0], up: [0, 0, 1] },
  right: { from: [-1, 0, 0], up: [0, 0, 1] },
  superior: { from: [0, 0, 1], up: [0, -1, 0] },
  inferior: { from: [0, 0, -1], up: [0, -1, 0] },
};

/** The letters at the ends of the patient axes (LPS), for the orientation labels. */
export const AXIS_LETTERS: ReadonlyArray<{ letter: string; direction: Triple }> = [
  { letter: 'L', direction: [1, 0, 0] },
  { letter: 'R', direction: [-1, 0, 0] },
  { letter: 'P', direction: [0, 1, 0] },
  { letter: 'A', direction: [0, -1, 0] },
  { letter: 'S', direction: [0, 0, 1] },
  { letter: 'I', direction: [0, 0, -1] },
];
