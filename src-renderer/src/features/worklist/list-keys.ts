/** What a key does in a list with a selected row. */
export type ListKeyAction =
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'open'; readonly index: number }
  | { readonly kind: 'page'; readonly delta: 1 | -1 }
  | { readonly kind: 'none' };

/**
 * Keyboard navigation of the worklist: arrows (and j/k) move the selection, Home/End jump,
 * Enter opens, PageUp/PageDown change the page.
 */
export function listKeyAction(key: string, selected: number, count: number): ListKeyAction {
  if (count === 0) return { kind: 'none' };
  const current = Math.min(Math.max(selected, -1), count - 1);
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return { kind: 'select', index: Math.min(count - 1, current + 1) };
    case 'ArrowUp':
    case 'k':
      return { kind: 'select', index: Math.max(0, current - 1) };
    case 'Home':
      return { kind: 'select', index: 0 };
    case 'End':
      return { kind: 'select', index: count - 1 };
    case 'Enter':
      return current >= 0 ? { kind: 'open', index: current } : { kind: 'none' };
    case 'PageDown':
      return { kind: 'page', delta: 1 };
    case 'PageUp':
      return { kind: 'page', delta: -1 };
    default:
      return { kind: 'none' };
  }
}
