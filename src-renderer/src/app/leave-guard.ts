/**
 * Unsaved work that leaving the page would lose (a report being edited). One page at a time
 * registers the question to ask; the hash router asks it before it follows a link, and the
 * browser asks its own question before a reload or closing the tab.
 */
let question: string | null = null;

function onBeforeUnload(event: BeforeUnloadEvent): void {
  event.preventDefault();
}

/** Registers the question while there is unsaved work; null when there is none any more. */
export function setLeaveGuard(next: string | null): void {
  if (next !== null && question === null) window.addEventListener('beforeunload', onBeforeUnload);
  if (next === null && question !== null)
    window.removeEventListener('beforeunload', onBeforeUnload);
  question = next;
}

/** Whether the user agrees to leave: true when nothing is unsaved. */
export function confirmLeave(): boolean {
  if (question === null) return true;
  const leave = window.confirm(question);
  // Leaving drops the work: the page that held it unmounts and clears nothing else.
  if (leave) setLeaveGuard(null);
  return leave;
}
