import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { LineIndex, rules, type FindingWithFixes } from '../../extension/src/engine';
import { sarif } from '../../extension/src/cli/formats/sarif';
import { archlint, BROKEN, buildCliOnce, CLEAN, DUPLICATE, ROOT, tempTree } from './setup';

beforeAll(buildCliOnce);

const PACKAGE = join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux');
const SCHEMA_PATH = join(PACKAGE, 'sarif-2.1.0.json');
const MULTITOOL = join(PACKAGE, 'Sarif.Multitool');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The official schema (JSON Schema 2020-12), with its formats checked rather than ignored. */
function officialValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const parses = (s: string, base?: string) => {
    try {
      new URL(s, base);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat('uri', (s: string) => parses(s));
  ajv.addFormat('uri-reference', (s: string) => parses(s, 'file:///') && !/\s/.test(s));
  ajv.addFormat(
    'date-time',
    (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)),
  );
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
}

/** Why the multitool cannot run here, or `undefined` when it can. */
function multitoolUnavailable(): string | undefined {
  if (platform() !== 'linux' || !['x64', 'arm64'].includes(arch()))
    return `Sarif.Multitool from @microsoft/sarif-multitool-linux needs Linux x64/arm64, this is ${platform()}/${arch()}`;
  if (!existsSync(MULTITOOL)) return `Sarif.Multitool is not installed at ${MULTITOOL}`;
  const probe = spawnSync(MULTITOOL, ['--version'], { encoding: 'utf8', timeout: 120_000, env: multitoolEnv() });
  if (probe.error || probe.status !== 0)
    return `Sarif.Multitool does not start on this machine: ${probe.error?.message ?? `exit ${probe.status}: ${probe.stderr.trim()}`}`;
  return undefined;
}

function multitoolEnv(): NodeJS.ProcessEnv {
  // Without ICU installed, .NET refuses to start unless told to use invariant globalization.
  return { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' };
}

/** Runs `Sarif.Multitool validate` and returns its own findings (a SARIF log about our SARIF log). */
function multitoolValidate(sarifPath: string): { level: string; ruleId: string; text: string }[] {
  const out = join(mkdtempSync(join(tmpdir(), 'archlint-sarif-validation-')), 'validation.sarif');
  const r = spawnSync(MULTITOOL, ['validate', sarifPath, '--output', out], {
    encoding: 'utf8',
    timeout: 180_000,
    env: multitoolEnv(),
  });
  expect(r.error, r.stderr).toBeUndefined();
  expect(existsSync(out), `no validation log; multitool said:\n${r.stdout}\n${r.stderr}`).toBe(true);
  const log = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: { results?: { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[] }[];
  };
  expect(r.status, r.stdout).toBe(0);
  return log.runs.flatMap((run) =>
    (run.results ?? []).map((x) => ({
      level: x.level ?? 'warning',
      ruleId: x.ruleId,
      text: x.message.text ?? (x.message.arguments ?? []).join(' '),
    })),
  );
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, unknown>[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> };
      }[];
      relatedLocations?: unknown[];
      fixes?: {
        artifactChanges: { replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[] }[];
      }[];
    }[];
  }[];
}

/** A tree with every kind of finding the CLI can produce today, and a path that needs URI encoding. */
function lintTree(): { dir: string; log: SarifLog; path: string } {
  const dir = tempTree({
    'clean.arch.yaml': CLEAN,
    'broken.arch.yaml': BROKEN,
    'odd folder/dup #1.arch.yaml': DUPLICATE,
    'spof.arch.yaml': CLEAN.replace('replicas: 2', 'replicas: 1'),
    'silenced.arch.yaml':
      'archlint: 1\ncomponents:\n  # archlint-disable-next-line single-point-of-failure -- a lab box\n  web: { kind: service }\n',
    // Latin-1, not UTF-8: "caf\xE9".
    'latin1.arch.yaml': Buffer.concat([Buffer.from('archlint: 1\n# caf'), Buffer.from([0xe9, 0x0a])]),
  });
  const r = archlint(['lint', '--format', 'sarif', '-o', 'out/archlint.sarif'], dir);
  expect(r.code, r.stderr).toBe(1);
  const path = join(dir, 'out/archlint.sarif');
  return { dir, log: JSON.parse(readFileSync(path, 'utf8')) as SarifLog, path };
}

describe('--format sarif', () => {
  it('is valid against the official SARIF 2.1.0 schema', () => {
    const validate = officialValidator();
    const { log } = lintTree();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The validator is not vacuous: a wrong level is caught.
    const broken = structuredClone(log);
    broken.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('lists what a comment silenced as a result suppressed in source, with the reason', () => {
    const { log } = lintTree();
    const silenced = log.runs[0]!.results.filter((r) => (r as { suppressions?: unknown }).suppressions);
    expect(silenced).toHaveLength(1);
    expect(silenced[0]).toMatchObject({
      ruleId: 'single-point-of-failure',
      suppressions: [{ kind: 'inSource', justification: 'a lab box' }],
    });
  });

  it('describes every rule and built-in diagnostic, and results point at their descriptor', () => {
    const { log } = lintTree();
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'archlint', version, informationUri: expect.stringMatching(/^https:\/\//) });
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([...rules.map((r) => r.meta.id), 'yaml-syntax', 'duplicate-key', 'encoding', 'schema']),
    );
    for (const descriptor of run.tool.driver.rules) {
      expect(descriptor).toMatchObject({
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        help: { text: expect.any(String), markdown: expect.any(String) },
        helpUri: expect.stringMatching(new RegExp(`/docs/rules/${String(descriptor.id)}\\.md$`)),
        defaultConfiguration: { level: expect.stringMatching(/^(error|warning|note)$/) },
      });
    }
    const ruleIds = new Set(run.results.map((r) => r.ruleId));
    expect(ruleIds).toEqual(new Set(['yaml-syntax', 'duplicate-key', 'encoding', 'single-point-of-failure']));
    for (const result of run.results) expect(ids[result.ruleIndex!]).toBe(result.ruleId);
  });

  it('gives URIs relative to %SRCROOT% (the working directory), encoded, and regions equal to the JSON format', () => {
    const { dir, log } = lintTree();
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`${pathToFileURL(dir).href}/`);
    const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(uris).toContainEqual({ uri: 'odd%20folder/dup%20%231.arch.yaml', uriBaseId: '%SRCROOT%' });
    expect(uris.every((u) => u.uriBaseId === '%SRCROOT%' && !u.uri.includes('\\') && !u.uri.startsWith('/'))).toBe(true);

    const json = JSON.parse(archlint(['lint', '--format', 'json'], dir).stdout) as {
      filePath: string;
      messages: { ruleId: string; line: number; column: number; endLine: number; endColumn: number }[];
      suppressedMessages: { ruleId: string; line: number; column: number; endLine: number; endColumn: number }[];
    }[];
    // Each file's results, then what it silenced (SARIF keeps both, marking the second as suppressed).
    const fromJson = json.flatMap((f) =>
      [...f.messages, ...f.suppressedMessages].map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]),
    );
    const fromSarif = run.results.map((r) => {
      const g = r.locations[0]!.physicalLocation.region;
      return [r.ruleId, g.startLine, g.startColumn, g.endLine, g.endColumn];
    });
    expect(fromSarif).toEqual(fromJson);
    expect(fromSarif).toContainEqual(['duplicate-key', 5, 5, 5, 9]);
  });

  it('passes `Sarif.Multitool validate` with no errors or warnings', (ctx) => {
    const unavailable = multitoolUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const { path } = lintTree();
    const problems = multitoolValidate(path);
    expect(problems.filter((p) => p.level === 'error' || p.level === 'warning')).toEqual([]);
  });

  it('passes the multitool and the schema on the samples too', (ctx) => {
    if (!existsSync(join(ROOT, 'samples'))) ctx.skip('samples/ does not exist yet');
    const dir = mkdtempSync(join(tmpdir(), 'archlint-sarif-samples-'));
    const out = join(dir, 'samples.sarif');
    const r = archlint(['lint', 'samples', '--format', 'sarif', '-o', out]);
    expect(r.code, r.stderr).not.toBe(2);
    const validate = officialValidator();
    const log = JSON.parse(readFileSync(out, 'utf8')) as SarifLog;
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The compose sample's findings name their component as a logical location (code scanning groups by it).
    const compose = log.runs[0]!.results.filter((x) =>
      x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('compose.yaml'),
    );
    expect(compose.length).toBeGreaterThan(0);
    for (const x of compose.filter((x) => x.ruleId !== 'schema'))
      expect((x.locations[0] as { logicalLocations?: { name: string; kind: string }[] }).logicalLocations?.[0]).toMatchObject({
        kind: 'module',
        name: expect.stringMatching(/^(web|api|worker|db|cache)$/),
      });
    const unavailable = multitoolUnavailable();
    if (unavailable) ctx.skip(unavailable);
    expect(multitoolValidate(out).filter((p) => p.level === 'error' || p.level === 'warning')).toEqual([]);
  });
});

describe('sarif formatter (in-process, on findings no rule has to produce)', () => {
  const text = 'archlint: 1\ncomponents:\n  web: { kind: service }\n';
  const web = text.indexOf('web'); // line 3, column 3
  const afterService = text.indexOf(' }'); // line 3, column 23
  const finding: FindingWithFixes = {
    ruleId: 'missing-health-check',
    messageId: 'm',
    message: 'web has no health check',
    severity: 'info',
    range: [web, web + 3],
    related: [{ range: [0, 8], message: 'declared here' }],
    fixes: [
      {
        title: 'insert a health-check',
        edits: [{ range: [afterService, afterService], text: ', health-check: { path: /healthz }' }],
        applicability: 'safe',
      },
      {
        title: 'rename',
        edits: [
          { range: [web, web + 3], text: 'api' },
          { range: [0, 0], text: '# x\n' },
        ],
        applicability: 'unsafe',
      },
    ],
  };
  const render = (cwd: string, filePath: string) =>
    JSON.parse(
      sarif([{ filePath, text, lines: new LineIndex(text), findings: [finding] }], { cwd, color: false, version, rules }),
    ) as SarifLog;

  it('maps info to note, related to relatedLocations and fixes to replacements with exact regions', () => {
    const result = render('/repo', '/repo/a.arch.yaml').runs[0]!.results[0]!;
    expect(result.level).toBe('note');
    // Terminated for SARIF, but not capitalised: the message starts with a component id.
    expect(result.message.text).toBe('web has no health check.');
    expect(result.locations[0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 3, endLine: 3, endColumn: 6 });
    expect(result.relatedLocations).toEqual([
      {
        id: 0,
        message: { text: 'declared here.' },
        physicalLocation: {
          artifactLocation: { uri: 'a.arch.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 },
        },
      },
    ]);
    expect(result.fixes).toHaveLength(2);
    expect(result.fixes![0]!.artifactChanges[0]!.replacements).toEqual([
      {
        deletedRegion: { startLine: 3, startColumn: 23, endLine: 3, endColumn: 23 },
        insertedContent: { text: ', health-check: { path: /healthz }' },
      },
    ]);
    expect(result.fixes![1]!.artifactChanges[0]!.replacements.map((x) => x.deletedRegion.startLine)).toEqual([1, 3]);
  });

  it('uses an absolute file URI for a file outside the working directory', () => {
    const loc = render('/repo', '/elsewhere/b.arch.yaml').runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(loc).toEqual({ uri: 'file:///elsewhere/b.arch.yaml' });
  });

  it('is schema-valid and multitool-clean with related locations and fixes', (ctx) => {
    const log = render(ROOT, join(ROOT, 'x.arch.yaml'));
    const validate = officialValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const unavailable = multitoolUnavailable();
    if (unavailable) ctx.skip(unavailable);
    const path = join(mkdtempSync(join(tmpdir(), 'archlint-sarif-unit-')), 'unit.sarif');
    writeFileSync(path, JSON.stringify(log));
    expect(multitoolValidate(path).filter((p) => p.level === 'error' || p.level === 'warning')).toEqual([]);

    // The check is not vacuous: the multitool exits 0 even when it finds errors, so they are read from its log.
    log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri = 'file:///no-trailing-slash';
    writeFileSync(path, JSON.stringify(log));
    expect(multitoolValidate(path)).toContainEqual(expect.objectContaining({ level: 'error', ruleId: 'SARIF1004' }));
  });
});
