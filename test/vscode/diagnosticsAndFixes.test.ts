import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex, type Finding } from '../../extension/src/engine';
import { applyEdits } from '../../extension/src/engine/fix/apply';
import { ruleDocsUrl } from '../../extension/src/engine/rules/docsUrl';
import {
  diagnosticKey,
  isBuiltinId,
  toDiagnosticData,
  withoutYamlExtensionDoubles,
} from '../../extension/src/vscode/adapters/diagnostics';
import { disableNextLineEdit, minimalEdit, quickFixesOf } from '../../extension/src/vscode/adapters/fixes';

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

describe('findings → diagnostic data', () => {
  it('maps the range to lines and columns, the rule id to a code linking its docs', () => {
    const d = toDiagnosticData(finding(), lines);
    expect(d.range).toEqual({ start: { line: 6, character: 4 }, end: { line: 6, character: 20 } });
    expect(d.code).toEqual({ value: 'stateful-round-robin', target: ruleDocsUrl('stateful-round-robin') });
    expect(d.code.target).toMatch(/docs\/rules\/stateful-round-robin\.md$/);
    expect(d.severity).toBe('warning');
    expect(d.related).toEqual([]);
  });

  it('keeps related locations (e.g. the balancer) with their messages', () => {
    const balancer = offsetOf('edge');
    const d = toDiagnosticData(
      finding({ related: [{ range: [balancer, balancer + 4], message: 'round-robin balancer' }] }),
      lines,
    );
    expect(d.related).toEqual([
      { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } }, message: 'round-robin balancer' },
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
    const d = toDiagnosticData(finding(), lines);
    expect(diagnosticKey('stateful-round-robin', d.range)).toBe('stateful-round-robin@6:4-6:20');
    expect(isBuiltinId('schema')).toBe(true);
    expect(isBuiltinId('stateful-round-robin')).toBe(false);
  });
});

describe('fixes → edits', () => {
  const store = offsetOf('    state');
  const safe = {
    title: 'Keep sessions in cache',
    edits: [{ range: [store, store] as const, text: '    session-store: cache\n' }],
    applicability: 'safe' as const,
  };
  const unsafe = {
    title: 'Add a sessions cache',
    edits: [{ range: [TEXT.length, TEXT.length] as const, text: '  sessions: { kind: cache }\n' }],
    applicability: 'unsafe' as const,
  };

  it('prefers the single safe fix and lists it first', () => {
    const fixes = quickFixesOf(finding({ fixes: [unsafe, safe] }), lines);
    expect(fixes.map((f) => [f.title, f.isPreferred])).toEqual([
      ['Keep sessions in cache', true],
      ['Add a sessions cache', false],
    ]);
    expect(fixes[0]!.edits).toEqual([
      { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '    session-store: cache\n' },
    ]);
  });

  it('prefers none when two safe fixes compete', () => {
    const fixes = quickFixesOf(finding({ fixes: [safe, { ...safe, title: 'Other' }] }), lines);
    expect(fixes.every((f) => !f.isPreferred)).toBe(true);
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
