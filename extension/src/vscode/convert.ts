import * as vscode from 'vscode';
import type { LineIndex, Offsets } from '../engine';
import type { PositionRange } from './adapters/positions';
import type { DiagnosticData } from './adapters/diagnostics';
import { DIAGNOSTIC_SOURCE } from './adapters/diagnostics';

/** The one place plain adapter data becomes `vscode` objects. */
export function toRange(range: PositionRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function offsetsToRange(lines: LineIndex, range: Offsets): vscode.Range {
  const start = lines.position(range[0]);
  const end = lines.position(range[1]);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

const SEVERITY: Record<DiagnosticData['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(data: DiagnosticData, uri: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(data.range), data.message, SEVERITY[data.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: data.code.value, target: vscode.Uri.parse(data.code.target) };
  if (data.related.length > 0) {
    diagnostic.relatedInformation = data.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message),
    );
  }
  return diagnostic;
}
