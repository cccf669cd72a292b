export interface Migration {
  /** Consecutive from 1; never renumbered, never edited once released. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
