export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Softmax of logits divided by a calibration temperature (temperature scaling). */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  const exps: number[] = [];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! / temperature - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}
