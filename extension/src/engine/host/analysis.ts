/**
 * A snapshot of the analysis host: every query an editor, the language server or the CLI asks,
 * answered from the host's caches. Offsets in and out (positions are made at the edges); every
 * location names its file. A query whose architecture changed after the snapshot was taken
 * throws {@link Cancelled}.
 */
import { computeAvailability } from '../availability';
import type { AvailabilityReport, EntryAvailability } from '../availability/types';
import { disableNextLineEdit, minimalEdit } from '../fix/disable';
import { applyFixes } from '../fix/apply';
import { lint, type LintResult, type SuppressedFinding } from '../lint';
import type { Component, Kind } from '../model/model';
import { rules } from '../rules';
import schemaJson from '../../../../schemas/architecture.schema.json';
import type { Finding, Fix, Offsets } from '../types';
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
      const line = result.lines.position(finding.range[0]).line;
      if (isBuiltinId(finding.ruleId) || silenced.has(`${finding.ruleId}:${line}`)) continue;
      silenced.add(`${finding.ruleId}:${line}`);
      const edit = disableNextLineEdit(result.text, result.lines, line, finding.ruleId);
      if (edit.text === '' && edit.range[0] === edit.range[1]) continue;
      actions.push({
        title: `Disable ${finding.ruleId} for this line`,
        kind: 'quickfix',
        finding,
        edits: [{ uri, range: edit.range, text: edit.text }],
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
    const options = this.host.optionsFor(uri);
    const fixed = applyFixes(open.text, (text) => lint(text, options), { safeOnly: true });
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
    const result = this.lint(uri);
    if (!result) return undefined;
    if (result.model) {
      const symbol = symbolAt(result.model, offset);
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
    if (!result.doc) return undefined;
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
    if (!state || !open) return [];
    const ctx = cursorContext(open.text, offset);
    if (!ctx) return [];
    const model = state.result?.model?.components.size ? state.result.model : (state.lastModel ?? state.result?.model);
    return completionItems(typed ? { ...ctx, keyOf: undefined } : ctx, model, schema(), rules);
  }

  /** Where the component or zone at `offset` is defined. */
  definition(uri: Uri, offset: number): Location | undefined {
    const model = this.lint(uri)?.model;
    const symbol = model && symbolAt(model, offset);
    const range = symbol && model && definitionOf(model, symbol);
    return range && { uri, range };
  }

  /** Every reference to the component or zone at `offset` (and its definition when asked). */
  references(uri: Uri, offset: number, includeDeclaration: boolean): Location[] {
    const model = this.lint(uri)?.model;
    const symbol = model && symbolAt(model, offset);
    if (!symbol || !model) return [];
    return occurrencesOf(model, symbol, includeDeclaration).map((range) => ({ uri, range }));
  }

  /** The component id a rename at `offset` would change (without quotes), or a {@link QueryError} saying why none. */
  prepareRename(uri: Uri, offset: number): { range: Offsets; placeholder: string } {
    const result = this.lint(uri);
    const symbol = result?.model ? symbolAt(result.model, offset) : undefined;
    if (!result || !symbol || symbol.type !== 'component' || !result.model?.components.has(symbol.id)) {
      throw new QueryError('Only a component id can be renamed here.');
    }
    return { range: innerRange(result.text, symbol.range), placeholder: symbol.id };
  }

  /** The edits that rename the component at `offset`: its key and every reference. */
  rename(uri: Uri, offset: number, newName: string): FileEdit[] {
    const result = this.lint(uri);
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
    return [...model.components.values()].map((c: Component) => ({
      name: c.id,
      detail: componentDetail(c),
      kind: c.kind,
      range: [c.idRange[0], Math.max(c.range[1], c.idRange[1])],
      selectionRange: c.idRange,
    }));
  }

  /** A lens over each entry point: its availability, yearly downtime and SLO. */
  codeLenses(uri: Uri): LensData[] {
    const result = this.lint(uri);
    const report = result && safely(() => result.availability);
    if (!result?.model || !report) return [];
    return report.entries.flatMap((entry) => {
      const c = result.model!.components.get(entry.component);
      return c ? [{ range: c.idRange, title: entryLensTitle(entry), entry }] : [];
    });
  }

  private state(uri: Uri): ArchitectureState | undefined {
    return this.host.analysed(uri, this.revision);
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
