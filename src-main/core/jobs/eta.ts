/** Seconds remaining, extrapolated from the rate so far; null until there is enough to go on. */
export function estimateSecondsRemaining(progress: number, elapsedMs: number): number | null {
  if (progress < 0.01 || elapsedMs < 500 || progress >= 1) return progress >= 1 ? 0 : null;
  return Math.round(((elapsedMs / progress) * (1 - progress)) / 100) / 10;
}
