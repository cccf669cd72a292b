/**
 * The lesion after (step 1) or before (step -1) the one at `current` (-1: none chosen yet, so
 * "next" is the first and "previous" the last), wrapping round.
 */
export function nextLesionIndex(current: number, step: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/** Whether a key went to a field being typed in (a search box, a number): not a shortcut then. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type);
}
