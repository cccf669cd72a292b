// dcmjs ships no type definitions; this declares the small part the test fixtures use.
declare module 'dcmjs' {
  export const data: {
    DicomDict: new (meta: Record<string, unknown>) => {
      dict: Record<string, unknown>;
      write(options?: Record<string, unknown>): ArrayBuffer;
    };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
      uid(): string;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}
