import { pathToFileURL } from 'node:url';
import { BUILTIN_IDS, ruleDocsUrl, type FindingWithFixes, type Fix, type Rule, type Severity } from '../../engine';
import { ARCHLINT_HOMEPAGE } from '../version';
import { linesOf, regionOf, relativePath, type FileReport, type Formatter, type Region } from './types';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The diagnostics that are not rules, described like rules so every result has a descriptor. */
const BUILTIN_DESCRIPTORS: { id: string; summary: string; rationale: string }[] = [
  {
    id: BUILTIN_IDS.duplicateKey,
    summary: 'a key appears twice in the same mapping',
    rationale:
      'YAML tools disagree about which of two equal keys wins; archlint uses the first, so the second is silently ignored. Remove or rename one.',
  },
  {
    id: BUILTIN_IDS.encoding,
    summary: 'the file is not UTF-8',
    rationale:
      'A byte that is not UTF-8 cannot be read as text; nothing else is reported for the file, and --fix does not rewrite it, until it is saved as UTF-8.',
  },
  {
    id: BUILTIN_IDS.schema,
    summary: 'the file does not match the architecture format',
    rationale:
      'An unknown key, a wrong type or a value outside its allowed set means the file does not say what its author meant; every check after it would reason about a different architecture.',
  },
  {
    id: BUILTIN_IDS.yamlSyntax,
    summary: 'the file is not valid YAML',
    rationale: 'A file that cannot be read cannot be checked; nothing else is reported for it until the syntax error is fixed.',
  },
];

/** SARIF wants a rule's `name` to be a PascalCase token: `stateful-round-robin` → `StatefulRoundRobin`. */
function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/** A message as SARIF likes it, ending in a full stop; not capitalised, since it may start with a component's id. */
function terminated(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** A description (summaries start lower-case by contract) as a sentence. */
function sentence(text: string): string {
  const t = text.trim();
  return t === '' ? t : `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function descriptor(id: string, summary: string, rationale: string, level: Severity, rule?: Rule) {
  const url = ruleDocsUrl(id);
  // SARIF wants `name` to differ from `id` beyond case (SARIF1001): a one-word id gets no name.
  const name = pascalCase(id);
  return {
    id,
    ...(name.toLowerCase() !== id.toLowerCase() && { name }),
    shortDescription: { text: sentence(summary) },
    fullDescription: { text: sentence(rationale) },
    help: {
      text: `${sentence(summary)} ${sentence(rationale)} See ${url}`,
      // The examples are files in the repository, not in the CLI: the page shows them.
      markdown: `**${sentence(summary)}**\n\n${sentence(rationale)}\n\n[Rule documentation, with examples](${url})`,
    },
    helpUri: url,
    defaultConfiguration: { level: LEVEL[level] },
    ...(rule?.meta.fix && { properties: { fix: rule.meta.fix } }),
  };
}

/** `file.arch.yaml` relative to `%SRCROOT%` when inside the working directory, else an absolute file URI. */
function artifactLocation(cwd: string, filePath: string) {
  const rel = relativePath(cwd, filePath);
  if (rel === undefined) return { uri: pathToFileURL(filePath).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function sarifRegion(r: Region) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

function sarifFix(report: FileReport, cwd: string, fix: Fix) {
  // A fix may edit another file of the architecture (a compose override): one change per file.
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) {
    const file = e.file ?? report.filePath;
    byFile.set(file, [...(byFile.get(file) ?? []), e]);
  }
  return {
    description: { text: sentence(fix.title) },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: artifactLocation(cwd, file),
      replacements: [...edits]
        .sort((a, b) => a.range[0] - b.range[0])
        .map((e) => ({
          deletedRegion: sarifRegion(regionOf(linesOf(report, file), e.range)),
          insertedContent: { text: e.text },
        })),
    })),
  };
}

/**
 * SARIF 2.1.0 for code scanning: one run whose driver lists every rule (and the built-in
 * diagnostics) with its help; results point at exact regions (UTF-16 columns, end exclusive)
 * in files given relative to `%SRCROOT%`, the working directory.
 */
export const sarif: Formatter = (reports, { cwd, version, rules }) => {
  const descriptors = [
    ...rules.map((r) => descriptor(r.meta.id, r.meta.summary, r.meta.rationale, r.meta.severity, r)),
    ...BUILTIN_DESCRIPTORS.filter((b) => !rules.some((r) => r.meta.id === b.id)).map((b) =>
      descriptor(b.id, b.summary, b.rationale, 'error'),
    ),
  ];
  const ruleIndex = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = reports.flatMap((report) => {
    const location = artifactLocation(cwd, report.filePath);
    const silenced = (report.suppressed ?? []).map((f) => ({ ...f, silenced: true }));
    return [...report.findings, ...silenced].map((f: FindingWithFixes & { silenced?: boolean; justification?: string }) => {
      const index = ruleIndex.get(f.ruleId);
      return {
        ruleId: f.ruleId,
        ...(index !== undefined && { ruleIndex: index }),
        level: LEVEL[f.severity],
        message: { text: terminated(f.message) },
        locations: [
          {
            physicalLocation: { artifactLocation: location, region: sarifRegion(regionOf(report.lines, f.range)) },
            // The component the finding is about: code scanning groups and filters by it.
            ...(f.component !== undefined && { logicalLocations: [{ name: f.component, kind: 'module' }] }),
          },
        ],
        ...(f.related?.length && {
          relatedLocations: f.related.map((rel, i) => ({
            id: i,
            message: { text: terminated(rel.message) },
            physicalLocation: {
              artifactLocation: rel.file && rel.file !== report.filePath ? artifactLocation(cwd, rel.file) : location,
              region: sarifRegion(regionOf(linesOf(report, rel.file), rel.range)),
            },
          })),
        }),
        ...(f.fixes?.length && { fixes: f.fixes.map((fix) => sarifFix(report, cwd, fix)) }),
        // Silenced in the source: code scanning shows it as dismissed, with the reason given.
        ...(f.silenced && {
          suppressions: [{ kind: 'inSource', ...(f.justification && { justification: f.justification }) }],
        }),
      };
    });
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'archlint', version, semanticVersion: version, informationUri: ARCHLINT_HOMEPAGE, rules: descriptors },
        },
        // UTF-16 columns: what the engine (and VS Code, and GitHub) count.
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
