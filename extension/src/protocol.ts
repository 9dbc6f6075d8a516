/**
 * The messages between the extension host and the diagram webview, typed once for both sides,
 * with the validators each side runs on every message it receives: a webview is a web page,
 * and what it posts is untrusted input to the host (and the other way round, defensively).
 * Pure: no `vscode`, no DOM.
 */
import type { ComponentAvailability, DiagramEdge, DiagramNode, DiagramSnapshot, EntryAvailability, RuleConfig } from './engine';
import type { DiagramElkGraph, Direction } from './diagram/elkGraph';

/** The host's messages to the webview. */
export type HostToWebview =
  /** A new picture: after each lint of the document and after each what-if toggle. */
  | { type: 'update'; documentUri: string; title: string; snapshot: DiagramSnapshot }
  /** The cursor moved into `component` (null: into no component). */
  | { type: 'highlight'; component: string | null };

/** The webview's messages to the host. */
export type WebviewToHost =
  /** The script is listening: the host may send the first update. */
  | { type: 'ready' }
  /** A node was clicked: reveal the component in the editor. */
  | { type: 'reveal'; component: string }
  /** "Fail this component" was toggled: recompute with it down (or up again). */
  | { type: 'toggleFail'; component: string }
  /** Bring every failed component back. */
  | { type: 'resetFailures' }
  /** A render finished with this many component nodes and edges (tests read it back). */
  | { type: 'rendered'; nodes: number; edges: number }
  /** "Export SVG": a standalone SVG the host saves through a save dialog. */
  | { type: 'exportSvg'; svg: string }
  /** "Copy Mermaid": the host puts the text on the clipboard. */
  | { type: 'copyMermaid'; text: string }
  /** Layout or rendering failed; the host shows it. */
  | { type: 'error'; message: string };

/**
 * A layout job for a layout worker (the webview's web worker, the CLI's worker thread); `id`
 * pairs it with its answer.
 */
export interface LayoutRequest {
  id: number;
  graph: DiagramElkGraph;
}

/**
 * A layout worker's answer: the laid-out graph, or why it could not be laid out. Only the
 * geometry of `graph` is believed (see `adoptLayout` in diagram/layout.ts).
 */
export type LayoutResponse = { id: number; graph: DiagramElkGraph } | { id: number; error: string };

/** What the webview keeps with `setState`, and the serializer gets back after a reload. */
export interface WebviewState {
  documentUri?: string;
  direction: Direction;
  /** Pan and zoom: the diagram's offset in pixels and its scale. */
  view?: { x: number; y: number; scale: number };
  selected?: string;
}

/** The largest SVG or Mermaid text the host accepts from the webview (a generous 20 MB). */
export const MAX_TEXT_PAYLOAD = 20_000_000;
/** The longest error text accepted from the webview or a layout worker; {@link clipText} makes longer text fit. */
export const MAX_ERROR_TEXT = 1000;
/** The longest document URI believed from saved state (a corrupted state may hold anything). */
export const MAX_URI_LENGTH = 65_536;

/** `text` cut to at most `max` characters, an ellipsis marking the cut. */
export function clipText(text: string, max = MAX_ERROR_TEXT): string {
  if (text.length <= max) return text;
  // Never keep half a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isProbability = (v: unknown): v is number => isNumber(v) && v >= 0 && v <= 1;
const optional = <T>(v: unknown, check: (v: unknown) => v is T): boolean => v === undefined || check(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const SEVERITIES = new Set(['error', 'warning', 'info']);
const EDGE_TYPES = new Set(['route', 'depends', 'session-store']);

function isDiagramNode(v: unknown): v is DiagramNode {
  return (
    isObject(v) &&
    isString(v.id) &&
    isString(v.kind) &&
    isString(v.replicas) &&
    isStringArray(v.zones) &&
    isBool(v.entry) &&
    (v.severity === undefined || SEVERITIES.has(v.severity as string)) &&
    isCount(v.findings) &&
    optional(v.pool, isProbability) &&
    optional(v.availability, isProbability) &&
    optional(v.slo, isProbability) &&
    optional(v.meetsSlo, isBool) &&
    isBool(v.failed) &&
    isBool(v.down)
  );
}

function isDiagramEdge(v: unknown): v is DiagramEdge {
  return (
    isObject(v) &&
    isString(v.from) &&
    isString(v.to) &&
    EDGE_TYPES.has(v.type as string) &&
    isBool(v.optional) &&
    optional(v.anyOf, isCount)
  );
}

/** Whether `v` is a well-formed snapshot (every node and edge checked). */
export function isDiagramSnapshot(v: unknown): v is DiagramSnapshot {
  return (
    isObject(v) &&
    optional(v.name, isString) &&
    isStringArray(v.zones) &&
    Array.isArray(v.nodes) &&
    v.nodes.every(isDiagramNode) &&
    Array.isArray(v.edges) &&
    v.edges.every(isDiagramEdge) &&
    isStringArray(v.failed) &&
    isStringArray(v.blastRadius)
  );
}

/** Validates a message from the host; the webview ignores anything else. */
export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'update':
      return isString(v.documentUri) && isString(v.title) && isDiagramSnapshot(v.snapshot);
    case 'highlight':
      return v.component === null || isString(v.component);
    default:
      return false;
  }
}

/** Validates a message from the webview; the host ignores anything else. */
export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'resetFailures':
      return true;
    case 'reveal':
    case 'toggleFail':
      return isString(v.component);
    case 'rendered':
      return isCount(v.nodes) && isCount(v.edges);
    case 'exportSvg':
      return isString(v.svg) && v.svg.length <= MAX_TEXT_PAYLOAD;
    case 'copyMermaid':
      return isString(v.text) && v.text.length <= MAX_TEXT_PAYLOAD;
    case 'error':
      return isString(v.message) && v.message.length <= MAX_ERROR_TEXT;
    default:
      return false;
  }
}

/** Validates a layout worker's answer (its graph's geometry is checked where it is adopted). */
export function isLayoutResponse(v: unknown): v is LayoutResponse {
  if (!isObject(v) || !isCount(v.id)) return false;
  if ('error' in v) return isString(v.error) && v.error.length <= MAX_ERROR_TEXT && !('graph' in v);
  return isObject(v.graph);
}

/** Validates saved webview state (it comes back from disk after a reload). */
export function isWebviewState(v: unknown): v is WebviewState {
  if (!isObject(v)) return false;
  const view = v.view;
  return (
    optional(v.documentUri, (u): u is string => isString(u) && u.length <= MAX_URI_LENGTH) &&
    (v.direction === 'RIGHT' || v.direction === 'DOWN') &&
    (view === undefined || (isObject(view) && isNumber(view.x) && isNumber(view.y) && isNumber(view.scale) && view.scale > 0)) &&
    optional(v.selected, isString)
  );
}

// ---- The language server's own requests (`archlint lsp`), beside the standard LSP ones ----
// Plain method names with their parameter and result types, so the webview bundle that imports
// this module pulls in no JSON-RPC library; the client and the server give them to their own.

/** A request of the language server: its method, and (as types only) its parameters and result. */
export interface ServerRequest<P, R> {
  method: string;
  /** Never set: carries the types. */
  readonly types?: { params: P; result: R };
}
const request = <P, R>(method: string): ServerRequest<P, R> => ({ method });

/** A document's architecture as the diagram draws it, with `failed` components forced down (a what-if). */
export const DiagramRequest = request<{ uri: string; failed?: string[] }, { snapshot: DiagramSnapshot; title: string } | null>(
  'archlint/diagram',
);

/**
 * What the availability report and the extension API show: the report as plain JSON, and the
 * table `archlint availability` prints, titled `name` (VS Code: the path relative to the
 * workspace; by default the URI's last segment).
 */
export const AvailabilityRequest = request<{ uri: string; name?: string }, { report: ApiAvailability; table: string } | null>(
  'archlint/availability',
);

/** A document's findings, components and entry points, as the extension API returns them. */
export const LintRequest = request<{ uri: string }, ApiLintResult | null>('archlint/lint');

/** Sent by the server after each lint whose diagnostics it published or would answer a pull with. */
export const LintedNotification = { method: 'archlint/linted' } as const;
export interface LintedParams {
  uri: string;
  version: number;
  /** The status bar's text (with codicons) and tooltip. */
  status: { text: string; tooltip: string };
}

/**
 * The `archlint` settings section as the server reads it through `workspace/configuration`.
 * `yamlExtensionValidates` is not a user setting: the VS Code client adds it (whether the Red
 * Hat YAML extension validates the document), so YAML syntax errors and duplicate keys are not
 * shown twice.
 */
export interface ServerSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, RuleConfig>;
  /** The sources read besides `*.arch.yaml` files: `archlint.sources.compose` and `archlint.sources.kubernetes` (default true). */
  sources: { compose: boolean; kubernetes: boolean };
  yamlExtensionValidates?: boolean;
}

/** What a client may pass as `initializationOptions`. */
export interface ServerInitializationOptions {
  /** Milliseconds of typing pause before a push client's diagnostics are recomputed (default 150; the bench sets 0). */
  lintDelay?: number;
  /** A client command that opens a rule's documentation (VS Code: `archlint.showRuleDocumentation`). */
  documentationCommand?: string;
  /** A client command that opens the availability report (VS Code: `archlint.showAvailability`); lenses call it. */
  availabilityCommand?: string;
  /** A client command that re-opens completion after a key is inserted (VS Code: `editor.action.triggerSuggest`). */
  retriggerCommand?: string;
}

/** A finding as the extension API returns it: plain JSON, with editor positions beside the offsets. */
export interface ApiFinding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  offsets: [number, number];
  component?: string;
  fixes: { title: string; applicability: 'safe' | 'unsafe' }[];
}

export interface ApiLintResult {
  findings: ApiFinding[];
  components: string[];
  entryPoints: string[];
}

/** The availability report as plain JSON (maps as records, infinities as null). */
export interface ApiAvailability {
  entries: EntryAvailability[];
  components: Record<string, ComponentAvailability>;
  notes: string[];
}
