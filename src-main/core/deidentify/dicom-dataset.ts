/** A data element as dcmjs reads it (denaturalized): its VR and values; items for SQ. */
export interface DicomElement {
  vr: string;
  Value?: unknown[];
}
/** A data set keyed by `GGGGEEEE` (upper-case hex), as dcmjs reads and writes it. */
export type DicomDataset = Record<string, DicomElement>;
