export interface Migration {
  /** Consecutive from 1; never renumbered, never edited once released. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * The migration drops and recreates a table other tables reference: it runs with foreign
   * keys off (SQLite's documented table-rebuild procedure) and is checked with
   * `PRAGMA foreign_key_check` before it commits.
   */
  readonly rebuildsTables?: boolean;
}
