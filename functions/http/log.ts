/**
 * Structured log lines for Cloud Logging: one JSON object per line on stdout, whose `severity` and `message` Cloud
 * Logging reads as the entry's severity and text and whose other fields land in jsonPayload, filterable
 * (`jsonPayload.job="rollup"`). Callers pass counts, days and error codes only: never a request body, a header, a
 * token or a customer's data.
 */

export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export type LogFields = Record<string, string | number | boolean | null>;

export type Logger = (severity: Severity, message: string, fields?: LogFields) => void;

/** A logger writing to `write` (stdout in production, a list in tests). */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return (severity, message, fields = {}) => write(JSON.stringify({ ...fields, severity, message }) + '\n');
}
