import { formatAvailability, formatDowntime } from '../availability/format';
import type { AvailabilityReport, EntryAvailability } from '../availability/types';
import type { Finding } from '../types';
import { countBySeverity } from './findings';

/** The CodeLens title over an entry point: availability, yearly downtime, SLO met or not. */
export function entryLensTitle(entry: EntryAvailability): string {
  const parts = [
    `${formatAvailability(entry.availability, entry.unavailability)} available`,
    `${formatDowntime(entry.downtime.year)} down/year`,
  ];
  if (entry.slo !== undefined) parts.push(`SLO ${formatAvailability(entry.slo)} ${entry.meetsSlo === false ? '✗' : '✓'}`);
  return parts.join(' · ');
}

/** The weakest entry point: the number the status bar shows. */
export function weakestEntry(report: AvailabilityReport | undefined): EntryAvailability | undefined {
  return report?.entries.reduce<EntryAvailability | undefined>(
    (w, e) => (w === undefined || e.availability < w.availability ? e : w),
    undefined,
  );
}

/** The status bar item of the active architecture file. */
export function statusBarText(
  findings: readonly Finding[],
  report: AvailabilityReport | undefined,
): { text: string; tooltip: string } {
  const counts = countBySeverity(findings);
  const weakest = weakestEntry(report);
  const availability = weakest ? formatAvailability(weakest.availability, weakest.unavailability) : undefined;
  const problems: string[] = [];
  if (counts.error > 0) problems.push(`$(error) ${counts.error}`);
  if (counts.warning > 0) problems.push(`$(warning) ${counts.warning}`);
  if (counts.info > 0) problems.push(`$(info) ${counts.info}`);
  const text =
    problems.length === 0
      ? `$(pass) Archlint${availability ? `: ${availability}` : ''}`
      : `Archlint: ${problems.join(' ')}${availability ? ` · ${availability}` : ''}`;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const tooltipLines = [
    `Archlint: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}`,
    ...(report?.entries ?? []).map(
      (e) =>
        `${e.component}: ${formatAvailability(e.availability, e.unavailability)} (${formatDowntime(e.downtime.year)} down/year)${e.meetsSlo === false ? ' below SLO' : ''}`,
    ),
  ];
  return { text, tooltip: tooltipLines.join('\n') };
}
