/**
 * The pure engine's public surface: the CLI, the language server, the VS Code client, the
 * diagram and the webview use only this (the lint config forbids reaching into the engine's
 * folders from outside).
 */

// The analysis host: documents in, queries out.
export {
  AnalysisHost,
  Cancelled,
  type AnalysisSettings,
  type DocumentChange,
  type DocumentEdits,
  type DocumentKind,
  type HostDocument,
  type HostOptions,
  type SourceGroup,
  type SourceKind,
  type Uri,
} from './host/host';
export {
  Analysis,
  QueryError,
  type ActionData,
  type FileEdit,
  type HoverFacts,
  type LensData,
  type Location,
  type SymbolData,
} from './host/analysis';
export { isArchPath, ARCH_GLOBS } from './host/files';

// The configuration file (archlint.config.yaml): read and checked here; found by the CLI and the server.
export {
  readConfigText,
  isConfigPath,
  CONFIG_FILE_NAMES,
  CONFIG_GLOBS,
  EMPTY_CONFIG,
  type ProjectConfig,
  type ArchitectureGroup,
  type ConfigReadResult,
} from './project/config';
export { ignoreMatcher, type IgnoreMatcher } from './project/ignores';

// One text, linted from scratch (tests, scripts, fix passes).
export { lint, type LintOptions, type LintResult, type SuppressedFinding } from './lint';

// Sources: the files teams already have, read into the same model.
export { lintCompose, lintKubernetes, type ComposeInput, type KubernetesInput } from './lint';
export {
  isHelmTemplate,
  isJsonManifest,
  isManifestName,
  isManifestText,
  looksLikeManifest,
} from './sources/kubernetes/manifests';
export type { SourceText, ReadFile } from './sources/compose/project';
export {
  COMPOSE_FILE_NAMES,
  COMPOSE_GLOBS,
  isComposePath,
  isComposeOverridePath,
  baseCandidatesOf,
  overrideCandidatesOf,
  looksLikeCompose,
  resolvePath,
} from './sources/compose/files';
export { LineIndex, type Position } from './lineIndex';
export type {
  Finding,
  FindingWithFixes,
  Fix,
  TextEdit,
  Offsets,
  Severity,
  SeveritySetting,
  RuleConfig,
  RelatedLocation,
} from './types';
export { BUILTIN_IDS } from './types';

// Rules and their documentation.
export { rules, rulesById } from './rules';
export type { Rule, RuleMeta } from './rules/types';
export { describeOption, optionProblems, type OptionSchema, type OptionsSchema } from './rules/options';
export { ruleDocsUrl } from './rules/docsUrl';
export { builtinDiagnostics, type BuiltinMeta } from './rules/builtins';
export { didYouMean } from './suggest';

// The model, its graph and its numbers.
export type { Architecture, Component, Kind } from './model/model';
export { blastRadius, isUp, type Graph, type Edge } from './model/graph';
export { computeAvailability } from './availability';
export { architectureObject, architectureYaml, type Origins } from './model/print';
export type { AvailabilityReport, ComponentAvailability, EntryAvailability } from './availability/types';
export { formatAvailability, formatDowntime } from './availability/format';
export { renderTable, shardRows, type ShardRow } from './availability/table';

// Fixes.
export {
  applyEdits,
  applyFixes,
  applyFixesToFiles,
  spanningEdit,
  MAX_FIX_PASSES,
  type ApplyFixesOptions,
  type ApplyFixesResult,
} from './fix/apply';
export { minimalEdit } from './fix/disable';

// What editors show.
export {
  buildSnapshot,
  snapshotOfLint,
  replicasLabel,
  worseSeverity,
  type DiagramSnapshot,
  type DiagramNode,
  type DiagramEdge,
  type SnapshotInput,
} from './language/diagramSnapshot';
export { countBySeverity, isBuiltinId, withoutYamlExtensionDoubles } from './language/findings';
export { statusBarText, entryLensTitle, weakestEntry } from './language/availabilityView';
export type { CompletionData } from './language/completion';
export { escapeControls } from './language/escapeControls';
