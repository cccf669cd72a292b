/**
 * Writes tiny but real ONNX models for tests (one elementwise operator), so the inference
 * engine is exercised with onnxruntime-node without depending on trained weights.
 * A minimal protobuf encoder: only the fields a one-node float graph needs.
 */

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function field(number: number, wireType: 0 | 2, payload: number | Uint8Array): number[] {
  const key = varint((number << 3) | wireType);
  if (wireType === 0) return [...key, ...varint(payload as number)];
  const bytes = payload as Uint8Array;
  return [...key, ...varint(bytes.length), ...bytes];
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const message = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

function valueInfo(name: string, shape: ReadonlyArray<number | string>): Uint8Array {
  const dims = shape.map((d) =>
    field(1, 2, typeof d === 'number' ? message(field(1, 0, d)) : message(field(2, 2, text(d)))),
  );
  const tensorShape = message(...dims);
  const tensorType = message(field(1, 0, 1 /* FLOAT */), field(2, 2, tensorShape));
  const typeProto = message(field(1, 2, tensorType));
  return message(field(1, 2, text(name)), field(2, 2, typeProto));
}

export type ElementwiseOp = 'Relu' | 'Sigmoid' | 'Identity' | 'Neg';

/** A model computing `output = op(input)` for a float tensor of the given shape. */
export function makeOnnxModel(
  options: {
    op?: ElementwiseOp;
    inputName?: string;
    outputName?: string;
    shape?: ReadonlyArray<number | string>;
  } = {},
): Uint8Array {
  const op = options.op ?? 'Sigmoid';
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'logits';
  const shape = options.shape ?? ['N', 1, 8, 8];
  const node = message(
    field(1, 2, text(inputName)),
    field(2, 2, text(outputName)),
    field(4, 2, text(op)),
  );
  const graph = message(
    field(1, 2, node),
    field(2, 2, text('test-graph')),
    field(11, 2, valueInfo(inputName, shape)),
    field(12, 2, valueInfo(outputName, shape)),
  );
  const opset = message(field(1, 2, text('')), field(2, 0, 13));
  return message(
    field(1, 0, 7 /* ir_version */),
    field(2, 2, text('neurosphere-tests')),
    field(7, 2, graph),
    field(8, 2, opset),
  );
}
