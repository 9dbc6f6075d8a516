/**
 * Pure formatting of availability figures, shared by the CLI, hovers, the diagram and the
 * `availability-below-slo` message. Numbers are kept exact everywhere else; only here are they rounded.
 */
import { SECONDS } from './defaults';
import type { Downtime } from './types';

/** Decimals shown beyond which a percentage stops being readable. */
const MAX_DECIMALS = 12;

/**
 * `0.999712` → `99.9712%`. Shows three significant digits of the unavailability (that is where
 * the information is), with trailing zeros trimmed down to two decimals: `99.80%`, `99.95%`,
 * `99.9999%`. Pass the exactly computed `unavailability` when you have it: `1 − a` loses digits.
 */
export function formatAvailability(availability: number, unavailability: number = 1 - availability): string {
  if (!Number.isFinite(availability)) return '?';
  if (unavailability <= 0) return '100%';
  if (availability <= 0) return '0%';
  const unavailablePercent = unavailability * 100;
  const firstDigit = Math.floor(Math.log10(unavailablePercent)); // 0.0288 → −2
  const decimals = Math.min(MAX_DECIMALS, Math.max(2, 2 - firstDigit));
  let text = (availability * 100).toFixed(decimals);
  if (text.startsWith('100')) return `>${(100 - 10 ** -MAX_DECIMALS).toFixed(MAX_DECIMALS)}%`;
  // Trailing zeros say nothing, but keep two decimals so columns of figures line up.
  text = text.replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${text}%`;
}

/** −log10(U): 3 for 99.9%. Infinity for a component that never fails. */
export function nines(unavailability: number): number {
  // Never −0 or below zero: an entry point that is always down has zero nines.
  return unavailability <= 0 ? Infinity : unavailability >= 1 ? 0 : -Math.log10(unavailability);
}

/** Downtime in seconds per year, month, week and day for an unavailability. */
export function downtimeOf(unavailability: number): Downtime {
  return {
    year: unavailability * SECONDS.year,
    month: unavailability * SECONDS.month,
    week: unavailability * SECONDS.week,
    day: unavailability * SECONDS.day,
  };
}

/**
 * Seconds as a classic downtime-table entry: `8h 45m 57s`, `1m 0.5s`, `86.4ms`, `3d 15h 39m 30s`.
 * From an hour up whole seconds; below it a tenth of a second (so 99.99% a week reads `1m 0.5s`,
 * not a rounded `1m 1s`); below a second, milliseconds or microseconds to three digits.
 */
export function formatDowntime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds <= 0) return '0s';
  if (seconds < 1e-3) return `${trimNumber(seconds * 1e6)}µs`;
  if (seconds < 1) {
    const ms = trimNumber(seconds * 1e3);
    return ms === '1000' ? '1s' : `${ms}ms`;
  }
  // Round once, at the resolution shown, so 59.96 s becomes 1m 0s and never "60s".
  const resolution = seconds >= 3600 ? 1 : 0.1;
  const total = Math.round(seconds / resolution) * resolution;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total - days * 86_400) / 3600);
  const minutes = Math.floor((total - days * 86_400 - hours * 3600) / 60);
  const secs = total - days * 86_400 - hours * 3600 - minutes * 60;
  const secText = resolution === 1 ? String(Math.round(secs)) : String(Math.round(secs * 10) / 10);
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}d`);
  if (days > 0 || hours > 0) parts.push(`${hours}h`);
  if (days > 0 || hours > 0 || minutes > 0) parts.push(`${minutes}m`);
  parts.push(`${secText}s`);
  return parts.join(' ');
}

/** Three significant digits, without a trailing `.0`. */
function trimNumber(value: number): string {
  return String(Number(value.toPrecision(3)));
}
