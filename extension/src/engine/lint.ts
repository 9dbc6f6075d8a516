/**
 * The pipeline of one architecture file, one readable function per stage:
 * parse → schema → model → graph → rules (availability on demand) → findings.
 *
 * {@link lint} runs it from scratch. The analysis host (./host) runs it with a {@link LintCache}
 * of its own per architecture, so an edit re-reads only what it touched; the result is the same
 * as a full lint's (test/unit/incremental.test.ts compares them over random edits).
 */
import type { Document } from 'yaml';
import { computeAvailability, newAvailabilityCache, type AvailabilityCache } from './availability';
import type { AvailabilityReport } from './availability/types';
import type { SeverityOptions } from './config';
import { LineIndex } from './lineIndex';
import { buildArchitecture, originsOf } from './model/build';
import { buildGraph, type Graph } from './model/graph';
import type { Architecture, Component } from './model/model';
import { validateArchitecture } from './model/validate';
import { isReusable, reparseOneComponent } from './parse/incremental';
import { parseArchitectureText, type ParsedArchitectureText } from './parse/parse';
import { runRules, unknownRuleFindings, type FixMaker } from './rules/run';
import { composeModel } from './sources/compose/adapter';
import type { SourceEdits, Written } from './sources/written';
import { composeWritten } from './sources/compose/edits';
import { readProject, type ReadFile, type SourceText } from './sources/compose/project';
import { kubernetesModel, settleZones } from './sources/kubernetes/adapter';
import { kubernetesWritten } from './sources/kubernetes/edits';
import { readManifests, type ManifestCache } from './sources/kubernetes/manifests';
import type { Rule } from './rules/types';
import { fileOf, type Finding, type Fix } from './types';

/** A finding silenced by a comment; `justification` is the text after ` -- ` (empty when none). */
export type SuppressedFinding = Finding & { justification: string };

export type LintOptions = SeverityOptions & {
  /** The rules to run; the full registry by default (tests pass one). */
  rules?: readonly Rule[];
  /** The SLO of every entry point of a file that sets none (a configuration file's `defaults.slo`, 0..1). */
  defaultSlo?: number;
  /**
   * For sources whose files cannot state them (a Compose project): the configuration file's
   * per-instance `availability` and its `zones`, used where the project's `x-archlint` sets none.
   */
  sourceDefaults?: { availability?: number; zones?: ReadonlyMap<string, { availability?: number }> };
};

export interface LintResult {
  text: string;
  lines: LineIndex;
  /** Sorted by position. Plain data: a finding's fixes are made by {@link LintResult.fixes}. */
  findings: Finding[];
  /** Findings an `archlint-disable` comment silenced, with the reason it gave (sorted by position). */
  suppressed: SuppressedFinding[];
  /** Absent when the text is not a readable architecture (see the findings for why). */
  doc?: Document.Parsed;
  model?: Architecture;
  graph?: Graph;
  /** Exact availability of every entry point, computed on first access, once. */
  readonly availability?: AvailabilityReport;
  /** Whether the text was parsed in full or by re-reading one component of the previous parse. */
  parse: 'full' | 'component';
  /**
   * Every file of an architecture that spans several (a Compose project: its files, overrides,
   * includes), by the name ranges give them; `text` and `lines` are the first one's.
   */
  files?: ReadonlyMap<string, { text: string; lines: LineIndex }>;
  /** Where a source's values came from, in words, by component id and key (`''`: the architecture's own); what `archlint model` prints. */
  origins?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * The fixes of one of this result's findings (or suppressed findings), made now and kept: a
   * finding may offer several, and most are never asked for. A fix that cannot be made is left
   * out, never thrown. Results are immutable: this stays valid whatever is linted later.
   */
  fixes(finding: Finding): Fix[];
}

/**
 * What one architecture's results lend the next lint of it: the last parse (when an edit may
 * reuse it), whether the schema found it clean, its model with each component's origin, its
 * graph (with what was derived from it), and what its availability computations lend the next.
 * Owned by the caller (the host keeps one per architecture) and updated by each {@link runPipeline}.
 */
export interface LintCache {
  parsed?: ParsedArchitectureText;
  schemaClean?: boolean;
  model?: Architecture;
  origins?: Map<Component, Component>;
  graph?: Graph;
  availability?: AvailabilityCache;
  /** A set of manifests' files as read at the last lint: an unchanged file is not parsed again. */
  manifests?: ManifestCache;
}

/**
 * Lints one architecture text from scratch: findings, model and numbers. Never throws: whatever
 * the text, the result is findings with valid ranges.
 */
export function lint(text: string, options: LintOptions = {}): LintResult {
  return runPipeline(text, options);
}

/**
 * Lints `text`, reusing and then updating `cache` (the previous lint of the same architecture).
 * With `file`, every finding, related location and fix edit names it.
 */
export function runPipeline(text: string, options: LintOptions = {}, cache?: LintCache, file?: string): LintResult {
  const { parsed, parse } = parseStage(text, cache);
  const lines = new LineIndex(text);
  if (!parsed.doc || parsed.value === undefined) {
    if (cache) clear(cache);
    return finished({ text, lines, parse, findings: [...parsed.findings], suppressed: [], doc: parsed.doc }, file);
  }
  const doc = parsed.doc;
  const schema = schemaStage(parsed, cache);
  const model = buildArchitecture(doc, parsed.value, parsed.reuse);
  if (model.slo === undefined && options.defaultSlo !== undefined) {
    model.slo = options.defaultSlo;
    model.sloFromConfig = true;
  }
  const origins = originsOf(model, parsed.reuse, cache?.origins);
  const graph = graphStage(model, cache);
  // From here on this is the architecture's latest lint: what the next one reuses (availability
  // below, which the rules may ask for, included).
  if (cache)
    Object.assign(cache, {
      parsed: isReusable(parsed) || parsed.reuse ? parsed : undefined,
      schemaClean: schema.length === 0,
      model,
      origins,
      graph,
    });

  // Availability on demand: most keystrokes need none of it. While this is the architecture's
  // latest lint, earlier computations lend every entry point the edit did not reach.
  const availabilityCache = (cache && (cache.availability ??= newAvailabilityCache())) || undefined;
  let availability: AvailabilityReport | undefined;
  const getAvailability = (): AvailabilityReport => {
    const reuse =
      availabilityCache && cache?.model === model
        ? { cache: availabilityCache, originOf: (c: Component) => origins.get(c) ?? c }
        : undefined;
    return (availability ??= computeAvailability(model, graph, {}, reuse));
  };

  const rules = runRules({ text, doc, model, graph, lines, options, availability: getAvailability });
  return finished(
    {
      text,
      lines,
      parse,
      findings: [...parsed.findings, ...schema, ...unknownRuleFindings(model), ...rules.findings],
      suppressed: rules.suppressed,
      doc,
      model,
      graph,
      get availability() {
        return getAvailability();
      },
    },
    file,
    rules.fixMakers,
  );
}

/** A Compose project to lint: its files merged in order, and how to read the files they name. */
export interface ComposeInput {
  files: readonly SourceText[];
  /** Reads an override, `include` or `extends.file` not given (the CLI reads the disk; the editor its open documents first). */
  readFile?: ReadFile;
  /** The profiles to activate (`--profile`). */
  profiles?: readonly string[];
}

/**
 * Lints a Compose project: source → model → graph → rules, as {@link runPipeline} does for the
 * format, every finding in the file it is about. Never throws.
 */
export function lintCompose(input: ComposeInput, options: LintOptions = {}): LintResult {
  const project = readProject(input.files, input.readFile, { profiles: input.profiles });
  const main = project.main;
  const files = new Map(project.files.map((f) => [f.file, { text: f.text, lines: f.lines }]));
  if (!main.doc) return unreadable(main.text, main.lines, main.file, files, project.findings);
  const built = composeModel(project);
  return sourceStages({ ...main, doc: main.doc }, files, built, options, () => composeWritten(project, built));
}

/** Kubernetes manifests to lint: every object of the files given forms one architecture, across namespaces. */
export interface KubernetesInput {
  files: readonly SourceText[];
  /** What the last lint of the same set read (kept by the caller between lints): an unchanged file is not parsed again. */
  cache?: ManifestCache;
}

/**
 * Lints a set of Kubernetes manifests: source → model → graph → rules, as {@link lintCompose}
 * does for a Compose project, every finding in the file it is about. Never throws.
 */
export function lintKubernetes(input: KubernetesInput, options: LintOptions = {}): LintResult {
  const manifests = readManifests(input.files, input.cache);
  const files = new Map(manifests.files.map((f) => [f.file, { text: f.text, lines: f.lines }]));
  const main = manifests.objects[0]?.file ?? manifests.files[0];
  const doc = manifests.objects[0]?.doc;
  if (!main || !doc)
    return unreadable(main?.text ?? '', main?.lines ?? new LineIndex(''), main?.file ?? '', files, manifests.findings);
  const built = kubernetesModel(manifests);
  return sourceStages(
    { ...main, doc },
    files,
    { ...built, findings: [...manifests.findings, ...built.findings] },
    options,
    () => {
      // Zones settle once the configuration's are known (a spread workload runs in them all).
      settleZones(built);
      return kubernetesWritten(manifests.files, built);
    },
  );
}

/** The result of a source whose main file could not be read: its findings, in their files. */
function unreadable(
  text: string,
  lines: LineIndex,
  file: string,
  files: ReadonlyMap<string, { text: string; lines: LineIndex }>,
  findings: readonly Finding[],
): LintResult {
  return finished({ text, lines, parse: 'full', files, findings: [...findings], suppressed: [] }, file);
}

/**
 * The stages every source shares once it has built its model: the configuration's defaults where
 * the files set none, the graph, the rules (reading and editing through the source's `written`,
 * which `settle` makes once the defaults are in), availability on demand, findings in their files.
 */
function sourceStages(
  main: { file: string; text: string; lines: LineIndex; doc: Document.Parsed },
  files: ReadonlyMap<string, { text: string; lines: LineIndex }>,
  built: { model: Architecture; origins: ReadonlyMap<string, ReadonlyMap<string, string>>; findings: readonly Finding[] },
  options: LintOptions,
  settle: () => { written: Written; edits: SourceEdits },
): LintResult {
  const model = built.model;
  if (model.slo === undefined && options.defaultSlo !== undefined) {
    model.slo = options.defaultSlo;
    model.sloFromConfig = true;
  }
  const defaults = options.sourceDefaults;
  if (model.defaults.availability === undefined && defaults?.availability !== undefined)
    model.defaults.availability = defaults.availability;
  if (model.zones.size === 0 && defaults?.zones)
    for (const [id, z] of defaults.zones) model.zones.set(id, { id, range: model.range, availability: z.availability });
  const { written, edits } = settle();
  const graph = buildGraph(model);
  let availability: AvailabilityReport | undefined;
  const getAvailability = (): AvailabilityReport => (availability ??= computeAvailability(model, graph));
  const rules = runRules({
    text: main.text,
    doc: main.doc,
    model,
    graph,
    lines: main.lines,
    options,
    availability: getAvailability,
    written,
    edits,
    otherFiles: new Map([...files].filter(([name]) => name !== main.file)),
  });
  return finished(
    {
      text: main.text,
      lines: main.lines,
      parse: 'full',
      files,
      findings: [...built.findings, ...unknownRuleFindings(model), ...rules.findings],
      suppressed: rules.suppressed,
      doc: main.doc,
      model,
      graph,
      origins: built.origins,
      get availability() {
        return getAvailability();
      },
    },
    main.file,
    rules.fixMakers,
  );
}

/** Parses in full, or re-reads only the component an edit touched when the cache's parse allows it. */
function parseStage(text: string, cache: LintCache | undefined): { parsed: ParsedArchitectureText; parse: LintResult['parse'] } {
  const previous = cache?.parsed;
  const reparsed = previous && reparseOneComponent(previous, cache.model, text);
  return reparsed ? { parsed: reparsed, parse: 'component' } : { parsed: parseArchitectureText(text), parse: 'full' };
}

/**
 * The schema's findings. After an edit inside one component of a file the schema had nothing
 * against, only that component can be wrong (the schema has no constraint across components):
 * it is checked with the header alone, and only when it is wrong is the whole value checked,
 * for the findings in full.
 */
function schemaStage(parsed: ParsedArchitectureText, cache: LintCache | undefined): Finding[] {
  const value = parsed.value as Record<string, unknown>;
  const changed = parsed.reuse?.changed;
  if (changed !== undefined && cache?.schemaClean) {
    const components = value.components as Record<string, unknown>;
    const alone = { ...value, components: { [changed]: components[changed] } };
    if (validateArchitecture(parsed.doc!, alone).length === 0) return [];
  }
  return validateArchitecture(parsed.doc!, value);
}

/** The topology; when its arrows are the previous graph's, what was derived from them is kept. */
function graphStage(model: Architecture, cache: LintCache | undefined): Graph {
  return buildGraph(model, cache?.graph);
}

function clear(cache: LintCache): void {
  for (const key of Object.keys(cache) as (keyof LintCache)[]) delete cache[key];
}

/** The result: findings sorted and named by their file, and a fixes query over the rules' fix makers. */
function finished(
  result: Omit<LintResult, 'fixes' | 'findings' | 'suppressed'> & { findings: Finding[]; suppressed: SuppressedFinding[] },
  file: string | undefined,
  makers: ReadonlyMap<Finding, FixMaker> = new Map(),
): LintResult {
  const made = new Map<Finding, Fix[]>();
  for (const list of [result.findings, result.suppressed]) {
    sortFindings(list);
    // The findings are this run's own new objects: named here, before anyone sees them.
    if (file !== undefined) for (const f of list) inFile(f, file);
  }
  return Object.assign(result, {
    fixes(finding: Finding): Fix[] {
      let fixes = made.get(finding);
      if (!fixes) {
        const maker = makers.get(finding);
        fixes = maker ? makeFixes(maker, file) : [];
        made.set(finding, fixes);
      }
      return fixes;
    },
  });
}

function inFile(finding: Finding, file: string): void {
  finding.file ??= fileOf(finding.range, file);
  if (finding.related) finding.related = finding.related.map((r) => ({ ...r, file: r.file ?? fileOf(r.range, file) }));
}

/** A finding's fixes, named by their file; each builder is guarded by `defineRule`. */
function makeFixes(maker: FixMaker, file: string | undefined): Fix[] {
  return maker().map((f) =>
    reviewed(file === undefined ? f : { ...f, edits: f.edits.map((e) => ({ ...e, file: e.file ?? fileOf(e.range, file) })) }),
  );
}

/** A fix whose edits carry cautions (a guess to review) is unsafe, and its title says why. */
function reviewed(fix: Fix): Fix {
  const cautions = [...new Set(fix.edits.flatMap((e) => (e.caution ? [e.caution] : [])))];
  if (cautions.length === 0) return fix;
  return {
    title: `${fix.title} — review: ${cautions.join('; ')}`,
    edits: fix.edits.map(({ caution: _, ...e }) => e),
    applicability: 'unsafe',
  };
}

function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) =>
      (a.range[2] ?? '').localeCompare(b.range[2] ?? '') ||
      a.range[0] - b.range[0] ||
      a.range[1] - b.range[1] ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
