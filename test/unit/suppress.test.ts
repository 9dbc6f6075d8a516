import { describe, expect, it } from 'vitest';
import { lint } from '../../extension/src/engine';

const at = (text: string, ruleId?: string) => {
  const result = lint(text);
  return result.findings
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => ({ text: text.slice(f.range[0], f.range[1]), message: f.message, ruleId: f.ruleId }));
};

describe('archlint-disable comments', () => {
  it('silence the rule they name on the next line, and only that one', () => {
    const text =
      'archlint: 1\ncomponents:\n  # archlint-disable-next-line single-point-of-failure -- a lab\n  web: { kind: service }\n';
    expect(at(text)).toEqual([]);
  });

  it('report a rule id that names no rule, at the id, with a suggestion (a typo must not look like a fix)', () => {
    const text =
      'archlint: 1\ncomponents:\n  # archlint-disable-next-line sticky-sessions, single-point-of-falure -- a lab\n  web: { kind: service }\n';
    expect(at(text, 'schema')).toEqual([
      {
        text: 'single-point-of-falure',
        message: 'unknown rule "single-point-of-falure" in an archlint-disable comment — did you mean "single-point-of-failure"?',
        ruleId: 'schema',
      },
    ]);
    // The finding it meant to silence is still there.
    expect(at(text, 'single-point-of-failure')).toHaveLength(1);
  });

  it('say that a built-in diagnostic cannot be disabled, in a file-level comment too', () => {
    const text = 'archlint: 1\n# archlint-disable schema\ncomponents:\n  web: { kind: service, replicas: 2 }\n';
    expect(at(text, 'schema')).toEqual([
      { text: 'schema', message: '"schema" is built in and cannot be disabled: fix the file instead', ruleId: 'schema' },
    ]);
  });
});

describe('the rules: map', () => {
  it('reports an unknown rule id at the id, not at its severity', () => {
    const text = 'archlint: 1\nrules:\n  sticky-session: off\ncomponents:\n  web: { kind: service, replicas: 2 }\n';
    expect(at(text, 'schema')).toEqual([
      {
        text: 'sticky-session',
        message: 'unknown rule "sticky-session" — did you mean "sticky-sessions"?',
        ruleId: 'schema',
      },
    ]);
  });
});
