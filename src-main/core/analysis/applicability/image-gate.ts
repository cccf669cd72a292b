import type { ScanAttributes } from './scan-attributes.js';
import type { Sequence } from './series-description.js';

/** What the gate sees: the slice the pipeline would read, in display scale (0..1). */
export interface GateImage {
  pixels: Float32Array;
  rows: number;
  columns: number;
  /** A series or volume rather than one picture. */
  isThreeD: boolean;
}

/** A learned gate's reading of an image: what it looks like, and how sure it is. */
export interface GateVerdict {
  /** DICOM Modality code the image looks like ("MR", "CR"), or null. */
  modality: string | null;
  /** BodyPartExamined value it looks like ("BRAIN", "CHEST"), or null. */
  bodyPart: string | null;
  sequence: Sequence | null;
  /** The gate's probability for its answer (0..1). */
  confidence: number;
}

/**
 * The seam for an image-based applicability check (a small model that tells brain MR sequences
 * from chest radiographs and other pictures: models/sequence-gate, to come). It runs after the
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
 * The attributes with what the gate saw filled in where the header said nothing: a DICOM
 * attribute is what the scanner recorded and is kept; the gate speaks for PNG, JPEG and NIfTI.
 */
export function withGateVerdict(
  attributes: ScanAttributes,
  verdict: GateVerdict | null,
): ScanAttributes {
  if (verdict === null) return attributes;
  return {
    ...attributes,
    modality: attributes.modality ?? verdict.modality,
    bodyPart: attributes.bodyPart ?? verdict.bodyPart,
    sequence: attributes.sequence ?? verdict.sequence,
  };
}
