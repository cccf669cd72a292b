// dcmjs ships no type definitions; this declares the part the core's DICOM writers
// (core/exports/dicom) and the test fixtures use. Datasets are "naturalized": keyed by DICOM
// keyword (PatientName, SOPInstanceUID), sequences as arrays of datasets.
declare module 'dcmjs' {
  export type NaturalDataset = Record<string, unknown>;
  export interface DicomDictInstance {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  export const data: {
    DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean },
      ): DicomDictInstance;
    };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
      naturalizeDataset(dataset: Record<string, unknown>): NaturalDataset;
      uid(): string;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}
