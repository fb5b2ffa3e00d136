/**
 * The logger port: what code that logs needs of a logger, so it depends on
 * this and not on a class. Powertools Logger (the functions' createLogger)
 * satisfies it; a test passes a recorder. A use case asks for the methods it
 * calls (`Pick<Log, "warn" | "error">`), so a test need give no more.
 */

/** Structured fields of one line (ids, codes, an `error`); never CV or posting text. */
export type LogFields = Record<string, unknown>;

/** A line's message alone, or with its fields (two signatures: a logger with a rest parameter matches both). */
export interface LogLine {
  (message: string): void;
  (message: string, fields: LogFields): void;
}

export interface Log {
  readonly debug: LogLine;
  readonly info: LogLine;
  readonly warn: LogLine;
  readonly error: LogLine;
  /** Adds keys to every later line until removed (a record's correlation id while it is processed). */
  appendKeys(keys: LogFields): void;
  removeKeys(keys: string[]): void;
}
