/**
 * The GPU check's model: `output = Sigmoid(input)` on a 1×1×8×8 float tensor, 134 bytes of ONNX
 * (opset 13), written once with src-main/test-support/onnx-fixtures.ts. Small enough to run in a
 * blink on any provider, real enough that the provider must compile and run a kernel.
 */
export const TINY_MODEL_BASE64 =
  'CAcSEW5ldXJvc3BoZXJlLXRlc3RzOmkKGAoFaW5wdXQSBm91dHB1dCIHU2lnbW9pZBIKdGVzdC1ncmFwaFofCgVpbnB1dBIWChQIARIQCgIIAQoCCAEKAggICgIICGIgCgZvdXRwdXQSFgoUCAESEAoCCAEKAggBCgIICAoCCAhCBAoAEA0=';

export const TINY_MODEL_FEED = { inputName: 'input', dims: [1, 1, 8, 8] } as const;

export function tinyModel(): Uint8Array {
  return Uint8Array.from(Buffer.from(TINY_MODEL_BASE64, 'base64'));
}
