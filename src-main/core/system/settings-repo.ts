import type { Db } from '../db/connection.js';

/** The site's key/value settings (table `settings`, migration 011); values are strings. */
export function createSettingsRepo(db: Db) {
  const select = db.prepare<[string], { value: string }>(
    'SELECT value FROM settings WHERE key = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  return {
    get(key: string): string | undefined {
      return select.get(key)?.value;
    },
    /** Sets the value, or removes the key for null. */
    set(key: string, value: string | null, now: string): void {
      if (value === null) remove.run(key);
      else upsert.run(key, value, now);
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
