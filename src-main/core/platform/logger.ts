import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** JSON lines, one per event, appended to a file the admin can send to support. */
export function fileLogger(file: string, options: { echo?: boolean } = {}): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    const entry: Record<string, unknown> = { at: new Date().toISOString(), level, message };
    for (const [key, value] of Object.entries(fields)) entry[key] = serialise(value);
    const line = JSON.stringify(entry);
    try {
      appendFileSync(file, line + '\n');
    } catch {
      // Logging must never take the app down (disk full, permissions): fall back to stderr.
      process.stderr.write(line + '\n');
    }
    if (options.echo === true && (level === 'warn' || level === 'error'))
      process.stderr.write(line + '\n');
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

export function memoryLogger(): Logger & {
  entries: Array<{ level: LogLevel; message: string; fields: Record<string, unknown> }>;
} {
  const entries: Array<{ level: LogLevel; message: string; fields: Record<string, unknown> }> = [];
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    entries.push({ level, message, fields });
  };
  return {
    entries,
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
