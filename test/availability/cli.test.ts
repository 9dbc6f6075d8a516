/** `archlint availability` as a real process: the JSON contract, the table's numbers, exit codes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BROKEN, buildCliOnce, tempTree } from '../cli/setup';

beforeAll(buildCliOnce);

/** One 99.9% entry point in front of a 99.9% database pair: U = 1e-3 + 1e-6 − 1e-9 exactly. */
const SMALL = `archlint: 1
name: small
slo: 99.95%
components:
  edge:
    kind: service
    availability: 99.9%
    depends-on: [db]
  db:
    kind: database
    replicas: 2
    availability: 99.9%
  admin:
    kind: service
    entry: true
    availability: 100%
    slo: 99.9%
    depends-on: [db]
`;

describe('archlint availability --format json', () => {
  it('writes exactly the contract, at full precision', () => {
    const dir = tempTree({ 'small.arch.yaml': SMALL });
    const r = archlint(['availability', 'small.arch.yaml', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { entries: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['file', 'entries']);
    expect(json.file).toBe('small.arch.yaml');
    expect(json.entries.map((e) => e.component)).toEqual(['edge', 'admin']);
    const [edge, admin] = json.entries as {
      component: string;
      availability: number;
      unavailability: number;
      nines: number | null;
      downtime: Record<string, number>;
      slo: number | null;
      meetsSlo: boolean | null;
      contributors: { component: string; gain: number }[];
    }[];
    expect(Object.keys(edge!)).toEqual([
      'component',
      'availability',
      'unavailability',
      'nines',
      'downtime',
      'slo',
      'meetsSlo',
      'contributors',
    ]);
    expect(Object.keys(edge!.downtime)).toEqual(['year', 'month', 'week', 'day']);
    const u = 1e-3 + 1e-6 - 1e-9;
    expect(edge!.unavailability).toBeCloseTo(u, 15);
    expect(edge!.availability).toBeCloseTo(1 - u, 15);
    expect(edge!.nines).toBeCloseTo(-Math.log10(u), 10);
    expect(edge!.downtime.year).toBeCloseTo(u * 365.2425 * 86_400, 6);
    expect(edge!.downtime.month).toBeCloseTo((u * 365.2425 * 86_400) / 12, 6);
    expect(edge!.downtime.week).toBeCloseTo(u * 604_800, 6);
    expect(edge!.downtime.day).toBeCloseTo(u * 86_400, 6);
    expect(edge!.slo).toBe(0.9995);
    expect(edge!.meetsSlo).toBe(false);
    expect(edge!.contributors.map((c) => c.component)).toEqual(['edge', 'db']);
    expect(edge!.contributors[0]!.gain).toBeCloseTo(0.001 * (1 - 1e-6), 15);
    expect(edge!.contributors[1]!.gain).toBeCloseTo(0.999 * 1e-6, 15);
    expect(admin!.slo).toBe(0.999);
    expect(admin!.meetsSlo).toBe(true);
    expect(admin!.unavailability).toBeCloseTo(1e-6, 18);
  });

  it('writes null nines for an entry that never fails, and takes --fail', () => {
    const dir = tempTree({
      'perfect.arch.yaml': 'archlint: 1\ncomponents:\n  edge: { kind: service, availability: 100% }\n',
      'small.arch.yaml': SMALL,
    });
    const perfect = JSON.parse(archlint(['availability', 'perfect.arch.yaml', '--format=json'], dir).stdout);
    expect(perfect.entries[0]).toMatchObject({
      availability: 1,
      unavailability: 0,
      nines: null,
      slo: null,
      meetsSlo: null,
      contributors: [],
    });
    const failed = archlint(['availability', 'small.arch.yaml', '--format', 'json', '--fail', 'db'], dir);
    expect(failed.code).toBe(0);
    expect(JSON.parse(failed.stdout).entries.map((e: { availability: number }) => e.availability)).toEqual([0, 0]);
    expect(failed.stderr).toMatch(/note: what-if: db forced down/);
  });
});

describe('archlint availability (table)', () => {
  it('prints the downtime table with the textbook numbers', () => {
    const dir = tempTree({
      'one.arch.yaml': 'archlint: 1\nslo: 99.95%\ncomponents:\n  edge: { kind: service, availability: 99.9% }\n',
    });
    const r = archlint(['availability', 'one.arch.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const row = r.stdout.split('\n').find((l) => l.startsWith('edge '))!;
    expect(row.split(/\s{2,}/)).toEqual([
      'edge',
      '99.90%',
      '3.00',
      '8h 45m 57s',
      '43m 49.7s',
      '10m 4.8s',
      '1m 26.4s',
      '99.95%',
      'no',
    ]);
    expect(r.stdout).toMatch(/^entry\s+availability\s+nines\s+per year\s+per month\s+per week\s+per day\s+SLO\s+met$/m);
    expect(r.stdout).toMatch(/edge: edge → 100%/);
  });
});

describe('archlint availability on sharded components', () => {
  it('reports one shard (what the entry points count) and every shard up at once, in JSON and the table', () => {
    const json = archlint(['availability', 'samples/chat.arch.yaml', '--format', 'json']);
    expect(json.code).toBe(0);
    const shards = JSON.parse(json.stdout).shards as { component: string; shards: number; shard: number; allShardsUp: number }[];
    const messages = shards.find((s) => s.component === 'messages')!;
    expect(messages.shards).toBe(8);
    // All eight up at once is rarer than one shard up, and at least the product of independent shards.
    expect(messages.allShardsUp).toBeLessThan(messages.shard);
    expect(messages.allShardsUp).toBeGreaterThanOrEqual(messages.shard ** 8 - 1e-12);
    const table = archlint(['availability', 'samples/chat.arch.yaml']);
    expect(table.stdout).toMatch(/^ {2}messages: one shard [\d.]+%, all 8 shards up at once [\d.]+%$/m);
  });
});

describe('archlint availability -o', () => {
  it('writes the report to a file (and --output-file means the same, as in lint)', () => {
    const dir = tempTree({ 'small.arch.yaml': SMALL });
    const r = archlint(['availability', 'small.arch.yaml', '-o', 'report.txt'], dir);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toMatch(/^entry\s+availability/m);
    expect(archlint(['availability', 'small.arch.yaml', '--format', 'json', '--output-file', 'r.json'], dir).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).file).toBe('small.arch.yaml');
  });
});

describe('archlint availability errors', () => {
  it('exits 2 on usage and I/O errors', () => {
    const dir = tempTree({ 'small.arch.yaml': SMALL });
    expect(archlint(['availability'], dir)).toMatchObject({ code: 2 });
    expect(archlint(['availability', 'missing.arch.yaml'], dir).stderr).toMatch(/no such file: missing\.arch\.yaml/);
    expect(archlint(['availability', 'small.arch.yaml', '--format', 'xml'], dir)).toMatchObject({ code: 2 });
    const typo = archlint(['availability', 'small.arch.yaml', '--fail', 'dbb'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/no component "dbb".*did you mean "db"/);
  });

  it('exits 1 for a file that is not YAML, and computes on what it can read otherwise', () => {
    const dir = tempTree({
      'broken.arch.yaml': BROKEN,
      'odd.arch.yaml': 'archlint: 1\ncomponents:\n  edge: { kind: service, availability: 99%, replicas: many }\n',
    });
    const broken = archlint(['availability', 'broken.arch.yaml'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.arch\.yaml:\d+:\d+: error: .*yaml-syntax/);
    const odd = archlint(['availability', 'odd.arch.yaml', '--format', 'json'], dir);
    expect(odd.code).toBe(0);
    // A schema error is an error (it was labelled a warning), and the numbers use what could be read.
    expect(odd.stderr).toMatch(/odd\.arch\.yaml:3:\d+: error: .*\(schema\)/);
    expect(odd.stderr).toContain('archlint: odd.arch.yaml has 1 problem: the numbers use what could be read\n');
    expect(JSON.parse(odd.stdout).entries[0].availability).toBeCloseTo(0.99, 15);
  });
});

describe('archlint availability on a long dependency chain', () => {
  it('computes a chain of 20,000 components (no recursion a long chain can overflow)', () => {
    // The audit's d5-chain.py at ten times the length where the stack overflowed (2,000).
    const n = 20_000;
    const lines = ['archlint: 1', 'name: chain', 'components:'];
    for (let i = 0; i < n - 1; i++)
      lines.push(`  c${i}: { kind: service, replicas: 2${i === 0 ? ', entry: true' : ''}, depends-on: [c${i + 1}] }`);
    lines.push(`  c${n - 1}: { kind: database, replicas: 2 }`);
    const dir = tempTree({ 'chain.arch.yaml': `${lines.join('\n')}\n` });
    // To a file: with a contributor per component the report is larger than a pipe's buffer here.
    const r = archlint(['availability', 'chain.arch.yaml', '--format', 'json', '-o', 'chain.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')).entries;
    expect(entry.component).toBe('c0');
    expect(entry.availability).toBeCloseTo((1 - 0.005 ** 2) ** n, 10);
  }, 120_000);
});
