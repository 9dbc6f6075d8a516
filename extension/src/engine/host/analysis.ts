/**
 * A snapshot of the analysis host: every query an editor, the language server or the CLI asks,
 * answered from the host's caches. Offsets in and out (positions are made at the edges); every
 * location names its file. A query whose architecture changed after the snapshot was taken
 * throws {@link Cancelled}.
 */
import { computeAvailability } from '../availability';
import type { AvailabilityReport, EntryAvailability } from '../availability/types';
import { disableNextLineEdit, minimalEdit } from '../fix/disable';
import { applyFixes, type FixableLint } from '../fix/apply';
import type { LineIndex } from '../lineIndex';
import { lint, type LintResult, type SuppressedFinding } from '../lint';
import type { Component, Kind } from '../model/model';
import { rules } from '../rules';
import schemaJson from '../../../../schemas/architecture.schema.json';
import { fileOf, type Finding, type Fix, type Offsets } from '../types';
import { entryLensTitle } from '../language/availabilityView';
import { completionItems, type CompletionData } from '../language/completion';
import { buildSnapshot, type DiagramSnapshot } from '../language/diagramSnapshot';
import { isBuiltinId } from '../language/findings';
import { componentHover, escapeMarkdown, keyHover } from '../language/hover';
import { SchemaNavigator, type JsonSchema } from '../language/schemaNavigator';
import {
  componentDetail,
  definitionOf,
  innerRange,
  occurrencesOf,
  pathAt,
  RenameError,
  renameEdits,
  symbolAt,
} from '../language/symbols';
import { cursorContext } from '../language/yamlContext';
import type { AnalysisHost, ArchitectureState, HostDocument, Uri } from './host';

/** A place in a file. */
export interface Location {
  uri: Uri;
  range: Offsets;
}

/** A replacement in a file (a rename or a fix may edit several files). */
export interface FileEdit {
  uri: Uri;
  range: Offsets;
  text: string;
}

/** A query that cannot be answered as asked, with the reason to show the user (a rename at no component). */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

export interface HoverFacts {
  /** Markdown; every name in it is escaped. */
  markdown: string;
  range: Offsets;
}

export interface SymbolData {
  name: string;
  detail: string;
  kind: Kind;
  /** The component's key and value. */
  range: Offsets;
  /** Its key. */
  selectionRange: Offsets;
}

export interface LensData {
  range: Offsets;
  title: string;
  entry: EntryAvailability;
}

/** A code action over a finding: one of its fixes, or the comment that silences it on its line. */
export interface ActionData {
  title: string;
  kind: 'quickfix';
  finding: Finding;
  edits: FileEdit[];
  /** Safe and the only safe fix of its finding: an editor may apply it with one keystroke. */
  preferred: boolean;
  applicability?: Fix['applicability'];
}

/** The schema, read once: key completion and hover work without the YAML extension. */
let navigator: SchemaNavigator | undefined;
const schema = (): SchemaNavigator => (navigator ??= new SchemaNavigator(schemaJson as unknown as JsonSchema));

export class Analysis {
  constructor(
    private readonly host: AnalysisHost,
    /** The host revision this snapshot sees. */
    readonly revision: number,
  ) {}

  /** Whether a change reached the host after this snapshot was taken (its answers may be stale). */
  get outdated(): boolean {
    return this.host.revision !== this.revision;
  }

  /** The document at `uri` as this snapshot sees it. */
  document(uri: Uri): HostDocument | undefined {
    return this.host.document(uri);
  }

  /** The lint of the architecture `uri` is in; `undefined` when `uri` is no architecture's file. */
  lint(uri: Uri): LintResult | undefined {
    return this.state(uri)?.result;
  }

  /**
   * The line index of `file` as the lint of `from`'s architecture read it (`from` defaults to
   * `file`): a Compose project's files are read with it, open or not. `undefined` when that
   * architecture did not read `file`.
   */
  lines(file: Uri, from: Uri = file): LineIndex | undefined {
    const result = this.lint(from);
    if (!result) return from === file ? undefined : this.lint(file)?.lines;
    const own = result.files?.get(file)?.lines ?? (file === this.state(from)?.key ? result.lines : undefined);
    return own ?? (from === file ? undefined : this.lint(file)?.lines);
  }

  /** The findings in `uri`, sorted by position. */
  findings(uri: Uri): Finding[] {
    return this.lint(uri)?.findings.filter((f) => f.file === uri) ?? [];
  }

  /** What comments silenced in `uri`, with their reasons. */
  suppressed(uri: Uri): SuppressedFinding[] {
    return this.lint(uri)?.suppressed.filter((f) => f.file === uri) ?? [];
  }

  /** The fixes of a finding this snapshot gave; each edit names its file. */
  fixes(finding: Finding): Fix[] {
    if (finding.file === undefined) return [];
    return this.lint(finding.file)?.fixes(finding) ?? [];
  }

  /**
   * The quick fixes and "disable for this line" actions of the findings that `range` touches
   * (or of exactly `findings`, as a client sends back the diagnostics it shows).
   */
  codeActions(uri: Uri, findings: readonly Finding[]): ActionData[] {
    const result = this.lint(uri);
    if (!result) return [];
    const actions: ActionData[] = [];
    const silenced = new Set<string>();
    for (const finding of findings) {
      const fixes = result.fixes(finding);
      const safeCount = fixes.filter((f) => f.applicability === 'safe').length;
      for (const fix of [...fixes].sort((a, b) => rank(a) - rank(b))) {
        actions.push({
          title: fix.title,
          kind: 'quickfix',
          finding,
          edits: fix.edits.map((e) => ({ uri: e.file ?? uri, range: e.range, text: e.text })),
          preferred: fix.applicability === 'safe' && safeCount === 1,
          applicability: fix.applicability,
        });
      }
      // The comment goes in the finding's own file, over its line there.
      const file = finding.file ?? uri;
      const written = result.files?.get(file) ?? { text: result.text, lines: result.lines };
      const line = written.lines.position(finding.range[0]).line;
      if (isBuiltinId(finding.ruleId) || silenced.has(`${finding.ruleId}:${file}:${line}`)) continue;
      silenced.add(`${finding.ruleId}:${file}:${line}`);
      const edit = disableNextLineEdit(written.text, written.lines, line, finding.ruleId);
      if (edit.text === '' && edit.range[0] === edit.range[1]) continue;
      actions.push({
        title: `Disable ${finding.ruleId} for this line`,
        kind: 'quickfix',
        finding,
        edits: [{ uri: file, range: edit.range, text: edit.text }],
        preferred: false,
      });
    }
    return actions;
  }

  /**
   * Every safe fix applied (re-linting between passes, exactly as `archlint lint --fix` does),
   * as one minimal edit; `undefined` when nothing changes.
   */
  fixAll(uri: Uri): FileEdit | undefined {
    const state = this.state(uri);
    const open = this.host.document(uri);
    if (!state || !open) return undefined;
    let relint: (text: string) => FixableLint;
    if (state.kind !== 'architecture') {
      // Only the safe fixes of this file's findings whose edits are all in this file: a pass must
      // not write another file of the project or folder (most Compose fixes are unsafe: usually none).
      // Every finding of this file is kept (a pass that breaks the file is known by its yaml-syntax finding).
      relint = (text) => {
        const result = this.host.lintProject(state, { file: uri, text }).result;
        const inUri = (f: Fix) => f.applicability === 'safe' && f.edits.every((e) => fileOf(e.range, e.file ?? uri) === uri);
        return { findings: result.findings.filter((f) => f.file === uri), fixes: (f) => result.fixes(f).filter(inUri) };
      };
      const first = relint(open.text);
      if (!first.findings.some((f) => first.fixes(f).length > 0)) return undefined;
    } else {
      const options = this.host.optionsFor(uri);
      relint = (text) => lint(text, options);
    }
    const fixed = applyFixes(open.text, relint, { safeOnly: true });
    const edit = minimalEdit(open.text, fixed.text);
    return edit && { uri, ...edit };
  }

  /** Exact availability of every entry point, with `failed` components forced down (a what-if). */
  availability(uri: Uri, failed: readonly string[] = []): AvailabilityReport | undefined {
    const result = this.lint(uri);
    if (!result?.model || !result.graph) return undefined;
    const down = new Set(failed.filter((id) => result.model!.components.has(id)));
    return down.size > 0 ? computeAvailability(result.model, result.graph, { failed: down }) : result.availability;
  }

  /** What the diagram draws, with `failed` components forced down. */
  diagram(uri: Uri, failed: readonly string[] = []): DiagramSnapshot | undefined {
    const result = this.lint(uri);
    if (!result?.model || !result.graph) return undefined;
    const down = new Set(failed.filter((id) => result.model!.components.has(id)));
    return buildSnapshot({
      model: result.model,
      graph: result.graph,
      findings: result.findings,
      availability: this.availability(uri, [...down]),
      failed: down,
    });
  }

  /** The hover at `offset`: a component (its availability, what needs it), a zone, or a key's schema description. */
  hover(uri: Uri, offset: number): HoverFacts | undefined {
    const state = this.state(uri);
    const result = state?.result;
    if (!state || !result) return undefined;
    if (result.model) {
      const symbol = symbolAt(result.model, offset, this.inFile(uri));
      if (symbol?.type === 'component') return { markdown: componentHover(result, symbol.id), range: symbol.range };
      if (symbol?.type === 'zone') {
        const zone = result.model.zones.get(symbol.id);
        const users = [...result.model.components.values()]
          .filter((c) => c.zones.some((z) => z.id === symbol.id))
          .map((c) => c.id);
        const name = `\`${symbol.id.replace(/`/g, "'")}\``;
        const markdown = zone
          ? `**zone ${name}**${users.length > 0 ? `\n\nUsed by: ${users.map(escapeMarkdown).join(', ')}` : ''}`
          : `${name} — not a zone of this file`;
        return { markdown, range: symbol.range };
      }
    }
    // A key's description is the format's: a Compose file's keys are Compose's, a manifest's Kubernetes'
    // (the Docker, YAML and Kubernetes extensions describe them).
    if (!result.doc || state.kind !== 'architecture') return undefined;
    const at = pathAt(result.doc, offset);
    if (!at || at.part !== 'key') return undefined;
    const markdown = keyHover(schema(), at.path);
    return markdown ? { markdown, range: at.range } : undefined;
  }

  /**
   * Completion at `offset`: component and zone ids where a reference goes, rule ids under
   * `rules:`, the schema's keys and values. `typed` (a trigger character) offers values only:
   * indenting must not pop up keys.
   */
  completion(uri: Uri, offset: number, typed = false): CompletionData[] {
    const state = this.state(uri);
    const open = this.host.document(uri);
    // Compose and Kubernetes keys are completed by the Docker, YAML and Kubernetes extensions, from their own schemas.
    if (!state || !open || state.kind !== 'architecture') return [];
    const ctx = cursorContext(open.text, offset);
    if (!ctx) return [];
    const model = state.result?.model?.components.size ? state.result.model : (state.lastModel ?? state.result?.model);
    return completionItems(typed ? { ...ctx, keyOf: undefined } : ctx, model, schema(), rules);
  }

  /** Where the component or zone at `offset` is defined. */
  definition(uri: Uri, offset: number): Location | undefined {
    const model = this.lint(uri)?.model;
    const symbol = model && symbolAt(model, offset, this.inFile(uri));
    const range = symbol && model && definitionOf(model, symbol);
    return range && { uri: this.fileOf(uri, range), range };
  }

  /** Every reference to the component or zone at `offset` (and its definition when asked). */
  references(uri: Uri, offset: number, includeDeclaration: boolean): Location[] {
    const model = this.lint(uri)?.model;
    const symbol = model && symbolAt(model, offset, this.inFile(uri));
    if (!symbol || !model) return [];
    return occurrencesOf(model, symbol, includeDeclaration).map((range) => ({ uri: this.fileOf(uri, range), range }));
  }

  /** The component id a rename at `offset` would change (without quotes), or a {@link QueryError} saying why none. */
  prepareRename(uri: Uri, offset: number): { range: Offsets; placeholder: string } {
    const result = this.renamable(uri);
    const symbol = result?.model ? symbolAt(result.model, offset) : undefined;
    if (!result || !symbol || symbol.type !== 'component' || !result.model?.components.has(symbol.id)) {
      throw new QueryError('Only a component id can be renamed here.');
    }
    return { range: innerRange(result.text, symbol.range), placeholder: symbol.id };
  }

  /** The edits that rename the component at `offset`: its key and every reference. */
  rename(uri: Uri, offset: number, newName: string): FileEdit[] {
    const result = this.renamable(uri);
    const symbol = result?.model ? symbolAt(result.model, offset) : undefined;
    if (!result?.model || !symbol || symbol.type !== 'component')
      throw new QueryError('Only a component id can be renamed here.');
    try {
      return renameEdits(result.text, result.model, symbol.id, newName.trim()).map((e) => ({ uri, ...e }));
    } catch (error) {
      if (error instanceof RenameError) throw new QueryError(error.message);
      throw error;
    }
  }

  /** The components, for an outline. */
  symbols(uri: Uri): SymbolData[] {
    const model = this.lint(uri)?.model;
    if (!model) return [];
    const inFile = this.inFile(uri);
    return [...model.components.values()]
      .filter((c) => inFile(c.idRange))
      .map((c: Component) => ({
        name: c.id,
        detail: componentDetail(c),
        kind: c.kind,
        range: inFile(c.range) ? [c.idRange[0], Math.max(c.range[1], c.idRange[1]), c.idRange[2]] : c.idRange,
        selectionRange: c.idRange,
      }));
  }

  /** A lens over each entry point: its availability, yearly downtime and SLO. */
  codeLenses(uri: Uri): LensData[] {
    const result = this.lint(uri);
    const report = result && safely(() => result.availability);
    if (!result?.model || !report) return [];
    const inFile = this.inFile(uri);
    return report.entries.flatMap((entry) => {
      const c = result.model!.components.get(entry.component);
      return c && inFile(c.idRange) ? [{ range: c.idRange, title: entryLensTitle(entry), entry }] : [];
    });
  }

  private state(uri: Uri): ArchitectureState | undefined {
    return this.host.analysed(uri, this.revision);
  }

  /** The file a range of `uri`'s architecture lies in: its own, else the architecture's main file. */
  private fileOf(uri: Uri, range: Offsets): Uri {
    return fileOf(range, this.state(uri)?.key ?? uri);
  }

  /** Whether a range of `uri`'s architecture lies in `uri` (a Compose project spans files; an architecture file is one). */
  private inFile(uri: Uri): (range: Offsets) => boolean {
    const main = this.state(uri)?.key ?? uri;
    return (range) => fileOf(range, main) === uri;
  }

  /** The lint of an architecture file, for a rename: a Compose service is named in places Archlint does not read (the shell, other projects). */
  private renamable(uri: Uri): LintResult | undefined {
    const state = this.state(uri);
    if (state?.kind === 'compose')
      throw new QueryError('Archlint renames components of *.arch.yaml files; a Compose service is renamed by hand.');
    if (state?.kind === 'kubernetes')
      throw new QueryError('Archlint renames components of *.arch.yaml files; a Kubernetes object is renamed by hand.');
    return state?.result;
  }
}

const rank = (fix: Fix): number => (fix.applicability === 'safe' ? 0 : 1);

/** A computation that must not take a feature down with it (availability of a pathological file). */
function safely<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}
