/**
 * Instants in findings: ISO-8601 UTC to the second, `2026-11-17T09:00:00Z`, whichever engine stored them (DuckDB
 * gives milliseconds, BigQuery microseconds). A day-grained onset is its midnight; an hour-grained one, its hour.
 */

const msPerHour = 3_600_000;

/** `2026-11-17` -> `2026-11-17T00:00:00Z`. */
export function dayStamp(day: string): string {
  return `${day}T00:00:00Z`;
}

/** Any instant (ISO text or epoch milliseconds) -> `YYYY-MM-DDTHH:MM:SSZ`. */
export function stamp(instant: string | number | Date): string {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${String(instant)}" is not an instant`);
  return date.toISOString().slice(0, 19) + 'Z';
}

/** The start of the hour an instant falls in, as a stamp. */
export function hourStamp(instant: string | number | Date): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  return stamp(Math.floor(ms / msPerHour) * msPerHour);
}

/** The earlier of two stamps. */
export function earlier(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
