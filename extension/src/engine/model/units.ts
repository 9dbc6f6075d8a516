/**
 * Parsing of the format's quantities. Each returns `undefined` for a value it cannot read;
 * the schema reports such values, the model just leaves them out.
 */

/** `99.95%` or `0.9995` → 0.9995. */
export function parsePercent(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 && value <= 1 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (!m) return undefined;
  // Shift the decimal point in the text, so "99.9%" is exactly the double nearest 0.999.
  const p = Number(`${m[1]}e-2`);
  return p >= 0 && p <= 1 ? p : undefined;
}

const RATE_UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 1 / 60,
  min: 1 / 60,
  minute: 1 / 60,
  h: 1 / 3600,
  hour: 1 / 3600,
};

/** `1200/s`, `60/min`, `100/h`, or a bare number (per second) → requests per second. */
export function parseRate(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)\s*$/.exec(value);
  if (!m) return undefined;
  const factor = RATE_UNITS[m[2]!];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** `10s`, `5m`, `2000h`, `1d`, `250ms`, or a bare number (seconds) → seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

/** The regular expressions the schema uses, so schema and parser cannot drift apart. */
export const UNIT_PATTERNS = {
  // 0% to 100% only: parsePercent reads no other percentage, and the schema must not accept what it cannot read.
  percent: '^\\s*(100(\\.0+)?|\\d{1,2}(\\.\\d+)?)\\s*%\\s*$',
  rate: '^\\s*\\d+(\\.\\d+)?\\s*/\\s*(s|sec|second|m|min|minute|h|hour)\\s*$',
  duration: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$',
} as const;
