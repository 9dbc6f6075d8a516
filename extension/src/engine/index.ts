/** The pure engine's public surface: the CLI, the VS Code adapter and the diagram use only this. */
export { lint, type LintOptions, type LintResult, type SuppressedFinding } from './lint';
export { LineIndex, type Position } from './lineIndex';
export type { Finding, Fix, TextEdit, Offsets, Severity, SeveritySetting, RelatedLocation } from './types';
export { BUILTIN_IDS } from './types';
export { rules, rulesById } from './rules';
export type { Rule, RuleMeta } from './rules/types';
export type { Architecture, Component } from './model/model';
export { blastRadius, isUp, type Graph, type Edge } from './model/graph';
export type { AvailabilityReport, EntryAvailability } from './availability/types';
export { ruleDocsUrl } from './rules/docsUrl';
export { builtinDiagnostics, type BuiltinMeta } from './rules/builtins';
export { applyEdits, applyFixes, MAX_FIX_PASSES, type ApplyFixesOptions, type ApplyFixesResult } from './fix/apply';
export { lintIncremental, wasIncremental } from './incremental';
