/**
 * The availability report as a table for people: the CLI's `archlint availability`, the editor's
 * availability report and its output channel print the same text. Every id and note is written
 * with its control characters shown ({@link escapeControls}).
 */
import { escapeControls } from '../language/escapeControls';
import { formatAvailability, formatDowntime } from './format';
import type { AvailabilityReport, EntryAvailability } from './types';

/** Weakest links shown per entry point in the table (the CLI's JSON lists them all). */
const TABLE_CONTRIBUTORS = 3;

/** One sharded component's figures. */
export interface ShardRow {
  component: string;
  shards: number;
  /** One shard's availability: what a request needs. */
  shard: number;
  allShardsUp: number;
}

/** The sharded components: one shard's availability, and the chance that every shard is up at once. */
export function shardRows(report: AvailabilityReport): ShardRow[] {
  return [...report.components.values()]
    .filter((c) => c.allShardsUp !== undefined && c.shards !== undefined)
    .map((c) => ({ component: c.component, shards: c.shards!, shard: c.pool, allShardsUp: c.allShardsUp! }))
    .sort((a, b) => a.component.localeCompare(b.component));
}

/**
 * The classic downtime table, one row per entry point, then the weakest links and the notes.
 * For people: every id and note is written with its control characters shown ({@link escapeControls}).
 */
export function renderTable(file: string, report: AvailabilityReport, color = false): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [escapeControls(file), ''];
  if (report.entries.length === 0) {
    out.push('no entry points: every component is needed by another one (a cycle?)', '');
  } else {
    const header = ['entry', 'availability', 'nines', 'per year', 'per month', 'per week', 'per day', 'SLO', 'met'];
    const rows = report.entries.map((e) => [
      escapeControls(e.component),
      formatAvailability(e.availability, e.unavailability),
      Number.isFinite(e.nines) ? e.nines.toFixed(2) : '∞',
      formatDowntime(e.downtime.year),
      formatDowntime(e.downtime.month),
      formatDowntime(e.downtime.week),
      formatDowntime(e.downtime.day),
      e.slo === undefined ? '—' : formatAvailability(e.slo),
      e.meetsSlo === undefined ? '—' : e.meetsSlo ? 'yes' : 'no',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    // The name reads left to right; figures line up on the right.
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd();
    out.push(paint(1, line(header)));
    report.entries.forEach((e, i) => {
      const text = line(rows[i]!);
      out.push(e.meetsSlo === false ? paint(31, text) : text);
    });
    out.push('');
    const withLinks = report.entries.filter((e) => e.contributors.length > 0);
    if (withLinks.length > 0) {
      out.push('weakest links (what the entry point would reach if that component never failed):');
      for (const e of withLinks) out.push(`  ${escapeControls(e.component)}: ${weakestLinks(e)}`);
      out.push('');
    }
  }
  const shards = shardRows(report);
  if (shards.length > 0) {
    out.push('sharded (a request needs its own shard; the entry points count one shard):');
    for (const r of shards) {
      out.push(
        `  ${escapeControls(r.component)}: one shard ${formatAvailability(r.shard)}, all ${r.shards} shards up at once ${formatAvailability(r.allShardsUp)}`,
      );
    }
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('notes:');
    for (const note of report.notes) out.push(`  - ${escapeControls(note)}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}

function weakestLinks(e: EntryAvailability): string {
  return e.contributors
    .slice(0, TABLE_CONTRIBUTORS)
    .map(
      (c) =>
        `${escapeControls(c.component)} → ${formatAvailability(e.availability + c.gain, Math.max(0, e.unavailability - c.gain))}`,
    )
    .join(', ');
}
