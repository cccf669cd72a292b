/** "Showing 51–100 of 230 scans", or "No scans". */
export function pageSummary(
  page: number,
  limit: number,
  total: number,
  noun: readonly [singular: string, plural: string],
): string {
  if (total === 0) return `No ${noun[1]}`;
  const first = (page - 1) * limit + 1;
  if (first > total) return `${total} ${total === 1 ? noun[0] : noun[1]}`;
  const last = Math.min(total, page * limit);
  return `Showing ${first}–${last} of ${total} ${total === 1 ? noun[0] : noun[1]}`;
}

/** The page to show after the total changed (a deletion, a new filter): never past the end. */
export function clampPage(page: number, totalPages: number): number {
  return Math.max(1, Math.min(page, Math.max(1, totalPages)));
}
