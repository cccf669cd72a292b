import type { ScanAttributes } from './scan-attributes.js';
import type { Sequence } from './series-description.js';

/** One slice the gate reads, in display scale (0..1), row by row. */
export interface GateSlice {
  pixels: Float32Array;
  rows: number;
  columns: number;
}

/** What the gate sees of a scan. */
export interface GateImage {
  /**
   * The series the image belongs to where it is one of several pictures exported from one series
   * (the gate answers once per series, so an edge slice is judged with its series); null: alone.
   */
  seriesKey: string | null;
  /**
   * Up to three slices: central slices of a volume, or the pictures of a series that show the
   * most anatomy. Read only when the gate needs them (not for a series it has already seen).
   */
  slices(): Promise<GateSlice[]>;
  /** A series or volume rather than one picture. */
  isThreeD: boolean;
}

/** A learned gate's reading of an image: what it looks like, and how sure it is. */
export interface GateVerdict {
  /** What the image looks like, in clinical words ("a chest radiograph", "brain MR, FLAIR"). */
  looksLike: string;
  /** DICOM Modality code the image looks like ("MR", "CR"), or null. */
  modality: string | null;
  /** BodyPartExamined value it looks like ("BRAIN", "CHEST"), or null. */
  bodyPart: string | null;
  /** The sequence it looks like: a hint only (the gate does not tell sequences apart reliably). */
  sequence: Sequence | null;
  /** It looks like none of the kinds of image the gate knows (neither brain MR nor a radiograph). */
  isOtherImage: boolean;
  /** The gate's probability for its answer (0..1). */
  confidence: number;
  /** The answer is a clear majority of the slices, above the gate's own threshold. */
  isConfident: boolean;
}

/**
 * The seam for an image-based applicability check (a small model that tells brain MR sequences
 * from chest radiographs and other pictures: models/sequence-gate). It runs after the
 * images are loaded and before any pipeline model; it answers what the image looks like, or
 * null when it cannot tell. The pipeline compares its answer with the models' applicability.
 */
export interface ImageGate {
  read(image: GateImage, signal?: AbortSignal): Promise<GateVerdict | null>;
}

/** No learned gate installed: only DICOM attributes and geometry are checked. */
export const NO_IMAGE_GATE: ImageGate = {
  read: () => Promise.resolve(null),
};

/**
 * The attributes with the gate's modality and body part filled in where the header said
 * nothing: a DICOM attribute is what the scanner recorded and is kept; the gate speaks for PNG,
 * JPEG and NIfTI. Its sequence is not used (a hint for a warning only: docs/sequence-gate.md).
 */
export function withGateVerdict(attributes: ScanAttributes, verdict: GateVerdict): ScanAttributes {
  return {
    ...attributes,
    modality: attributes.modality ?? verdict.modality,
    bodyPart: attributes.bodyPart ?? verdict.bodyPart,
  };
}
