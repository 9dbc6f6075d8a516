import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { AnalysisHost, LineIndex, ruleDocsUrl, type Finding } from '../../extension/src/engine';
import { applyEdits } from '../../extension/src/engine/fix/apply';
import { disableNextLineEdit, minimalEdit } from '../../extension/src/engine/fix/disable';
import { isBuiltinId, withoutYamlExtensionDoubles } from '../../extension/src/engine/language/findings';
import { diagnosticKey, toDiagnostic } from '../../extension/src/server/convert';

const TEXT = `components:
  edge:
    kind: load-balancer
    routes-to: [web]
  web:
    kind: service
    state: in-memory
`;
const lines = new LineIndex(TEXT);
const offsetOf = (s: string) => TEXT.indexOf(s);

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'stateful-round-robin',
  messageId: 'stateful',
  message: 'web keeps sessions in memory behind a round-robin balancer',
  severity: 'warning',
  range: [offsetOf('state: in-memory'), offsetOf('state: in-memory') + 'state: in-memory'.length],
  ...over,
});

const URI = 'file:///w/t.arch.yaml';
const toData = (f: Finding) => toDiagnostic(f, lines, URI, () => undefined);

describe('findings → diagnostics', () => {
  it('maps the range to lines and columns, the rule id to a code linking its docs', () => {
    const d = toData(finding());
    expect(d.range).toEqual({ start: { line: 6, character: 4 }, end: { line: 6, character: 20 } });
    expect(d.code).toBe('stateful-round-robin');
    expect(d.codeDescription).toEqual({ href: ruleDocsUrl('stateful-round-robin') });
    expect(d.codeDescription!.href).toMatch(/docs\/rules\/stateful-round-robin\.md$/);
    expect(d.severity).toBe(DiagnosticSeverity.Warning);
    expect(d.source).toBe('archlint');
    expect(d.relatedInformation).toBeUndefined();
  });

  it('keeps related locations (e.g. the balancer) with their messages', () => {
    const balancer = offsetOf('edge');
    const d = toData(finding({ related: [{ range: [balancer, balancer + 4], message: 'round-robin balancer' }] }));
    expect(d.relatedInformation).toEqual([
      {
        location: { uri: URI, range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } } },
        message: 'round-robin balancer',
      },
    ]);
  });

  it('leaves YAML syntax errors and duplicate keys to the YAML extension, nothing else', () => {
    const all = [
      finding(),
      finding({ ruleId: 'yaml-syntax', messageId: 'syntax' }),
      finding({ ruleId: 'yaml-syntax', messageId: 'aliasBomb' }),
      finding({ ruleId: 'duplicate-key', messageId: 'duplicateKey' }),
      finding({ ruleId: 'schema', messageId: 'unknownKey' }),
    ];
    expect(withoutYamlExtensionDoubles(all).map((f) => `${f.ruleId}/${f.messageId}`)).toEqual([
      'stateful-round-robin/stateful',
      'yaml-syntax/aliasBomb',
      'schema/unknownKey',
    ]);
  });

  it('matches a diagnostic copy back to its finding by rule id and range', () => {
    const d = toData(finding());
    expect(diagnosticKey(d.code, d.range)).toBe('stateful-round-robin@6:4-6:20');
    expect(isBuiltinId('schema')).toBe(true);
    expect(isBuiltinId('stateful-round-robin')).toBe(false);
  });
});

describe('fixes → edits', () => {
  const samples = join(__dirname, '..', '..', 'samples');

  it('offers each finding its safe fixes first, preferring the only safe one, then "disable for this line"', () => {
    const host = new AnalysisHost();
    let checked = 0;
    for (const file of readdirSync(samples).filter((f) => f.endsWith('.arch.yaml'))) {
      const uri = `file:///samples/${file}`;
      host.apply({ uri, version: 1, text: readFileSync(join(samples, file), 'utf8') });
      const analysis = host.snapshot();
      for (const f of analysis.findings(uri)) {
        const fixes = analysis.fixes(f);
        const actions = analysis.codeActions(uri, [f]);
        const fixActions = actions.filter((a) => a.applicability !== undefined);
        const safe = fixes.filter((x) => x.applicability === 'safe').length;
        expect(fixActions.map((a) => a.title).sort()).toEqual(fixes.map((x) => x.title).sort());
        const kinds = fixActions.map((a) => a.applicability);
        expect(kinds).toEqual([...kinds].sort((a, b) => Number(b === 'safe') - Number(a === 'safe')));
        for (const a of fixActions) expect(a.preferred).toBe(a.applicability === 'safe' && safe === 1);
        for (const a of actions) for (const e of a.edits) expect(e.uri).toBe(uri);
        if (!isBuiltinId(f.ruleId)) expect(actions.at(-1)!.title).toBe(`Disable ${f.ruleId} for this line`);
        checked += fixes.length;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('disables a rule on a line with a comment above it, indented like the line', () => {
    const edit = disableNextLineEdit(TEXT, lines, 6, 'stateful-round-robin');
    const out = applyEdits(TEXT, [edit]);
    expect(out).toContain('    kind: service\n    # archlint-disable-next-line stateful-round-robin\n    state: in-memory\n');
  });

  it('adds to an existing disable comment instead of stacking another, keeping its reason', () => {
    const text = 'components:\n  web:\n    # archlint-disable-next-line sticky-sessions -- legacy\n    state: in-memory\n';
    const l = new LineIndex(text);
    const out = applyEdits(text, [disableNextLineEdit(text, l, 3, 'stateful-round-robin')]);
    expect(out).toBe(
      'components:\n  web:\n    # archlint-disable-next-line sticky-sessions, stateful-round-robin -- legacy\n    state: in-memory\n',
    );
  });

  it('keeps CRLF line breaks', () => {
    const text = 'components:\r\n  web:\r\n    state: in-memory\r\n';
    const out = applyEdits(text, [disableNextLineEdit(text, new LineIndex(text), 2, 'x')]);
    expect(out).toBe('components:\r\n  web:\r\n    # archlint-disable-next-line x\r\n    state: in-memory\r\n');
  });

  it('fix-all as one minimal edit reproduces the fixed text exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const edit = minimalEdit(before, after);
        if (before === after) return edit === undefined;
        return applyEdits(before, [edit!]) === after;
      }),
    );
    expect(minimalEdit('a: 1\nb: 2\n', 'a: 1\nx: 0\nb: 2\n')).toEqual({ range: [5, 5], text: 'x: 0\n' });
  });
});
