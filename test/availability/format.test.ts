import { describe, expect, it } from 'vitest';
import { downtimeOf, formatAvailability, formatDowntime, nines } from '../../extension/src/engine/availability/format';

describe('the downtime table', () => {
  it('uses a year of 365.2425 days: 99.9% is 8h 45m 57s a year', () => {
    const d = downtimeOf(0.001);
    expect(d.year).toBeCloseTo(31_556.952, 9);
    expect(d.month).toBeCloseTo(31_556.952 / 12, 9);
    expect(d.week).toBeCloseTo(604.8, 9);
    expect(d.day).toBeCloseTo(86.4, 9);
    expect(formatDowntime(d.year)).toBe('8h 45m 57s');
    expect(formatDowntime(d.month)).toBe('43m 49.7s');
    expect(formatDowntime(d.week)).toBe('10m 4.8s');
    expect(formatDowntime(d.day)).toBe('1m 26.4s');
  });

  it('99.99% is 1m 0.5s a week, not the 1m 5s some tables print', () => {
    const d = downtimeOf(0.0001);
    expect(d.week).toBeCloseTo(60.48, 9);
    expect(formatDowntime(d.week)).toBe('1m 0.5s');
    expect(formatDowntime(d.year)).toBe('52m 35.7s');
    expect(formatDowntime(d.day)).toBe('8.6s');
  });

  it('spans days to microseconds and never prints 60s', () => {
    expect(formatDowntime(downtimeOf(0.01).year)).toBe('3d 15h 39m 30s');
    expect(formatDowntime(3600)).toBe('1h 0m 0s');
    expect(formatDowntime(59.96)).toBe('1m 0s');
    expect(formatDowntime(0.0864)).toBe('86.4ms');
    expect(formatDowntime(0.0000316)).toBe('31.6µs');
    expect(formatDowntime(0)).toBe('0s');
  });
});

describe('availability as a percentage', () => {
  it('shows three digits of the unavailability, at least two decimals', () => {
    expect(formatAvailability(0.999712)).toBe('99.9712%');
    expect(formatAvailability(0.998)).toBe('99.80%');
    expect(formatAvailability(0.9995)).toBe('99.95%');
    expect(formatAvailability(0.998001)).toBe('99.80%');
    expect(formatAvailability(0.999999)).toBe('99.9999%');
    expect(formatAvailability(0.5)).toBe('50.00%');
    expect(formatAvailability(1)).toBe('100%');
    expect(formatAvailability(0)).toBe('0%');
  });

  it('uses the exact unavailability when given, so twelve nines still show', () => {
    expect(formatAvailability(1 - 1e-12, 1e-12)).toBe('99.9999999999%');
    expect(formatAvailability(1, 1e-16)).toMatch(/^>99\.9+%$/);
  });

  it('nines are −log10(U), infinite for a component that never fails', () => {
    expect(nines(0.001)).toBeCloseTo(3, 12);
    expect(nines(0.0003)).toBeCloseTo(3.5229, 4);
    expect(nines(0)).toBe(Infinity);
  });
});
