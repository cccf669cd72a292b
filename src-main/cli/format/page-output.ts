import type { Page } from '../../../src-shared/contract/entities.js';
import type { CliIo } from '../cli-io.js';
import { formatTable } from './table.js';

export interface PageView<T> {
  json: boolean;
  /** What each item becomes in --json output (default: the item as the contract returns it). */
  jsonItem?: (item: T) => unknown;
  /** The line printed when nothing matches. */
  empty: string;
  /** Singular noun for the closing "Page 1 of 3 (42 scans)." line. */
  noun: string;
  headers: string[];
  row: (item: T) => string[];
}

/** A page of a list command: one JSON document with --json, else a table and a paging line. */
export function writePage<T>(io: CliIo, page: Page<T>, view: PageView<T>): void {
  if (view.json) {
    const items = view.jsonItem === undefined ? page.items : page.items.map(view.jsonItem);
    io.stdout.write(`${JSON.stringify({ ...page, items }, null, 2)}\n`);
    return;
  }
  if (page.total === 0) {
    io.stdout.write(`${view.empty}\n`);
    return;
  }
  io.stdout.write(formatTable(view.headers, page.items.map(view.row)));
  io.stdout.write(
    `Page ${page.page} of ${page.totalPages} (${page.total} ${view.noun}${page.total === 1 ? '' : 's'}).\n`,
  );
}
