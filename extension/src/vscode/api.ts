import type { AvailabilityReport, LintResult } from '../engine';
import { toPositionRange, type PositionRange } from './adapters/positions';
import { safeAvailability } from './adapters/hover';

/** A finding as the extension API returns it: plain JSON, with editor positions beside the offsets. */
export interface ApiFinding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  range: PositionRange;
  offsets: [number, number];
  component?: string;
  fixes: { title: string; applicability: 'safe' | 'unsafe' }[];
}

export interface ApiLintResult {
  findings: ApiFinding[];
  components: string[];
  entryPoints: string[];
}

export interface ApiAvailability {
  entries: AvailabilityReport['entries'];
  components: Record<string, ReturnType<AvailabilityReport['components']['get']>>;
  notes: string[];
}

/** What `activate()` returns, so integration tests (and other extensions) can read Archlint's state. */
export interface ArchlintApi {
  /** Lints the document at `uri` (opening it if needed) with the user's settings. */
  lint(uri: string | { toString(): string }): Promise<ApiLintResult>;
  /** The availability of every entry point of the document at `uri`; `undefined` when it has no model. */
  availability(uri: string | { toString(): string }): Promise<ApiAvailability | undefined>;
}

export function toApiLintResult(result: LintResult): ApiLintResult {
  return {
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      messageId: f.messageId,
      message: f.message,
      severity: f.severity,
      range: toPositionRange(result.lines, f.range),
      offsets: [f.range[0], f.range[1]],
      ...(f.component !== undefined && { component: f.component }),
      fixes: (f.fixes ?? []).map((x) => ({ title: x.title, applicability: x.applicability })),
    })),
    components: result.model ? [...result.model.components.keys()] : [],
    entryPoints: result.graph ? [...result.graph.entryPoints] : [],
  };
}

export function toApiAvailability(result: LintResult): ApiAvailability | undefined {
  const report = result.model ? safeAvailability(result) : undefined;
  if (!report) return undefined;
  // Infinity (an entry that never fails) does not survive JSON; keep the object structured-clone safe.
  return JSON.parse(
    JSON.stringify(
      { entries: report.entries, components: Object.fromEntries(report.components), notes: report.notes },
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    ),
  ) as ApiAvailability;
}
