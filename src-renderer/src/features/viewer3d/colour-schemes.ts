/** The seed's colorScheme option: lesion colours, the head's and the background. */
export const COLOUR_SCHEMES = ['standard', 'colorblind'] as const;
export type ColourScheme = (typeof COLOUR_SCHEMES)[number];

export const COLOUR_SCHEME_NAMES: Readonly<Record<ColourScheme, string>> = {
  standard: 'Standard',
  colorblind: 'Colour-blind safe (Okabe–Ito)',
};

interface Palette {
  readonly lesions: readonly string[];
  readonly head: string;
}

const PALETTES: Readonly<Record<ColourScheme, Palette>> = {
  // Saturated, well separated hues; red first, as a tumour is drawn in most viewers.
  standard: {
    lesions: ['#e6194b', '#f58231', '#ffe119', '#3cb44b', '#4363d8', '#911eb4', '#f032e6'],
    head: '#e3c9b0',
  },
  // Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia; the head
  // in neutral grey so that no lesion colour is confused with it.
  colorblind: {
    lesions: ['#d55e00', '#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#f0e442'],
    head: '#bdbdbd',
  },
};

/** The colour of lesion number `index` (0-based), cycling through the scheme's palette. */
export function lesionColour(scheme: ColourScheme, index: number): string {
  const { lesions } = PALETTES[scheme];
  return lesions[index % lesions.length]!;
}

export function headColour(scheme: ColourScheme): string {
  return PALETTES[scheme].head;
}

/** Colours for attached meshes (STL), apart from the lesions' first colours. */
export const MESH_COLOURS = ['#f2f2e6', '#a3c4f3', '#b8e0d2', '#ffd6a5'] as const;
