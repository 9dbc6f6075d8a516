import { formatAvailability as formatPercent } from '../availability/format';
import type { AvailabilityReport } from '../availability/types';
import type { LintResult } from '../lint';
import { blastRadius, requiredClosure } from '../model/graph';
import type { Finding } from '../types';
import type { SchemaNavigator } from './schemaNavigator';

/** Escapes text for Markdown so a component named `*x*` shows as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Availability, if it can be computed; a failure there must not take the hover with it. */
export function safeAvailability(result: LintResult): AvailabilityReport | undefined {
  try {
    return result.availability;
  } catch {
    return undefined;
  }
}

/** Findings about a component: reported for it, or inside its block. */
export function findingsOf(result: LintResult, id: string): Finding[] {
  const c = result.model?.components.get(id);
  if (!c) return [];
  return result.findings.filter(
    (f) =>
      f.component === id ||
      (f.component === undefined && f.range[0] >= c.idRange[0] && f.range[1] <= Math.max(c.range[1], c.idRange[1])),
  );
}

/**
 * The hover of a component id: what it is, how available its pool is, which entry points
 * need it and which it takes down alone, and its findings.
 */
export function componentHover(result: LintResult, id: string): string {
  const c = result.model?.components.get(id);
  const name = `\`${id.replace(/`/g, "'")}\``;
  if (!c || !result.graph) return `${name} — not a component of this file`;
  const graph = result.graph;
  const lines: string[] = [
    `**${name}** — ${c.kind}${c.entry === true || graph.entryPoints.includes(id) ? ' (entry point)' : ''}`,
    '',
  ];

  const facts: string[] = [];
  if (c.autoscale) facts.push(`autoscale ${c.autoscale.min}–${c.autoscale.max}`);
  else
    facts.push(
      `${c.replicas} ${c.replicas === 1 ? 'instance' : 'instances'}${c.sharding ? ` per shard × ${c.sharding.shards} shards` : ''}`,
    );
  if (c.zones.length > 0) facts.push(`zones ${c.zones.map((z) => escapeMarkdown(z.id)).join(', ')}`);
  if (c.state !== 'stateless')
    facts.push(`state ${c.state}${c.sessionStore ? ` (kept in ${escapeMarkdown(c.sessionStore.id)})` : ''}`);
  if (c.lifecycle === 'pet') facts.push('pet');
  lines.push(facts.join(' · '), '');

  const pool = safeAvailability(result)?.components.get(id);
  if (pool) {
    const k =
      pool.needed > 1 ? `, needs ${pool.needed} of ${pool.instances}` : pool.instances > 1 ? `, any 1 of ${pool.instances}` : '';
    lines.push(
      `Pool availability: **${formatPercent(pool.pool, pool.unavailability)}** (instance ${formatPercent(pool.instance)}${k})`,
      '',
    );
    if (pool.allShardsUp !== undefined)
      lines.push(`All ${pool.shards ?? ''} shards up at once: ${formatPercent(pool.allShardsUp)}`.replace('  ', ' '), '');
  }

  const neededBy = graph.entryPoints.filter((e) => e !== id && requiredClosure(graph, e).has(id));
  const takesDown = blastRadius(graph, id).filter((e) => e !== id);
  const list = (ids: string[]) => ids.map((x) => `\`${x.replace(/`/g, "'")}\``).join(', ');
  if (neededBy.length > 0) lines.push(`Needed by entry points: ${list(neededBy)}`, '');
  if (takesDown.length > 0) lines.push(`Alone takes down: ${list(takesDown)}`, '');
  const dependents = graph.dependents.get(id) ?? [];
  if (dependents.length > 0) lines.push(`Used by: ${list(dependents)}`, '');

  const findings = findingsOf(result, id);
  if (findings.length > 0) {
    lines.push('Findings:', '');
    for (const f of findings) lines.push(`- ${f.severity}: ${escapeMarkdown(f.message)} (\`${f.ruleId}\`)`);
  }
  return lines.join('\n').trimEnd();
}

/** The hover of a key: its description from the schema. */
export function keyHover(schema: SchemaNavigator, path: readonly (string | number)[]): string | undefined {
  const schemaPath = path.map((p) => (typeof p === 'number' ? '[]' : p));
  const description = schema.description(schemaPath);
  const key = schemaPath[schemaPath.length - 1];
  if (!description || key === undefined) return undefined;
  return `**${escapeMarkdown(key)}**\n\n${description}`;
}
