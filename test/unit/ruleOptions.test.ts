/**
 * Rule options: declared by a rule with a schema and defaults, set as `[severity, options]` in a
 * file's `rules:`, the configuration file, the editor's settings and on the CLI, with the
 * severities' precedence option by option; what a rule does not take is a finding at its place.
 */
import { describe, expect, it } from 'vitest';
import { parseRuleOverrides, splitRuleItems } from '../../extension/src/cli/commands/lint';
import { ArgumentError } from '../../extension/src/cli/args';
import { lint, readConfigText, type LintOptions, type Offsets } from '../../extension/src/engine';
import { readSettings } from '../../extension/src/server/settings';

/** web runs 4 instances and needs 3 at the peak: N+1 holds, N+2 does not. */
const HEADROOM = (rules = '') => `archlint: 1
${rules}components:
  edge:
    kind: load-balancer
    entry: true
    load: 1200/s
    replicas: 2
    routes-to: [web]
  web:
    kind: service
    replicas: 4
    capacity: 500/s
    health-check: { path: /healthz, interval: 10s }
`;

const headroom = (text: string, options: LintOptions = {}) =>
  lint(text, options)
    .findings.filter((f) => f.ruleId === 'no-headroom')
    .map((f) => f.message);

const slice = (text: string, range: Offsets) => text.slice(range[0], range[1]);

describe('options in a file’s rules:', () => {
  it('change what the rule checks, and its message and fix say so', () => {
    expect(headroom(HEADROOM())).toEqual([]);
    const text = HEADROOM('rules:\n  no-headroom: [error, { spare: 2 }]\n');
    const result = lint(text);
    const [finding] = result.findings.filter((f) => f.ruleId === 'no-headroom');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toBe(
      'web has no headroom: edge’s load of 1200/s needs 3 of its 4 instances at 500/s each, so losing two overloads the rest; run 5 instances',
    );
    expect(result.fixes(finding!).map((f) => f.title)).toEqual(['Give web room to lose 2 instances (replicas: 5)']);
  });

  it('[severity] alone keeps the defaults', () => {
    expect(headroom(HEADROOM('rules:\n  no-headroom: [warning]\n'))).toEqual([]);
    expect(lint(HEADROOM('rules:\n  no-headroom: [warning]\n')).findings.map((f) => f.ruleId)).toEqual([]);
  });

  it('that a rule does not take are schema errors at the option, and the default stands', () => {
    const text = HEADROOM('rules:\n  no-headroom: [warning, { spaer: 2, spare: -1 }]\n  sticky-sessions: [off, { x: 1 }]\n');
    const result = lint(text);
    const schema = result.findings.filter((f) => f.ruleId === 'schema');
    expect(schema.map((f) => [f.message, slice(text, f.range)])).toEqual([
      ['unknown option "spaer" of no-headroom — did you mean "spare"?', 'spaer'],
      ['option spare of no-headroom must be a whole number from 0 to 100, not -1', '-1'],
      ['sticky-sessions takes no options', '{ x: 1 }'],
    ]);
    expect(headroom(text)).toEqual([]);
  });

  it('in a shape the schema does not take is a schema finding, not a crash', () => {
    const text = HEADROOM('rules:\n  no-headroom: [warning, 2, 3]\n');
    expect(lint(text).findings.some((f) => f.ruleId === 'schema')).toBe(true);
  });
});

describe('precedence, option by option', () => {
  const settings = (spare: number): LintOptions => ({ settings: { 'no-headroom': ['warning', { spare }] } });

  it('settings < configuration < the file’s rules: < --rule', () => {
    expect(headroom(HEADROOM(), settings(2))).toHaveLength(1);
    expect(headroom(HEADROOM(), { ...settings(2), config: { 'no-headroom': ['warning', { spare: 1 }] } })).toEqual([]);
    const file = HEADROOM('rules:\n  no-headroom: [warning, { spare: 2 }]\n');
    expect(headroom(file, { config: { 'no-headroom': ['warning', { spare: 1 }] } })).toHaveLength(1);
    expect(headroom(file, { overrides: { 'no-headroom': ['warning', { spare: 1 }] } })).toEqual([]);
  });

  it('a severity alone above keeps the options below', () => {
    const result = lint(HEADROOM(), { ...settings(2), overrides: { 'no-headroom': 'error' } });
    expect(result.findings.filter((f) => f.ruleId === 'no-headroom').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('the options of the other rules', () => {
  it('availability-below-slo: margin flags an SLO met with less room than asked', () => {
    const text = (rules: string) => `archlint: 1
slo: 99%
${rules}components:
  web: { kind: service, entry: true, availability: 99.02% }
`;
    const below = (t: string) =>
      lint(t)
        .findings.filter((f) => f.ruleId === 'availability-below-slo')
        .map((f) => f.message);
    expect(below(text(''))).toEqual([]);
    expect(below(text('rules: { availability-below-slo: [warning, { margin: 0.01 }] }\n'))).toEqual([]);
    expect(below(text('rules: { availability-below-slo: [warning, { margin: 0.05 }] }\n'))).toEqual([
      'web is 99.02% available, less than 0.05 percentage points above its SLO of 99.00%: web is the weakest link (a perfect web would give 100%)',
    ]);
  });

  it('retry-without-backoff: min-attempts lets a short retry go', () => {
    const text = (rules: string) => `archlint: 1
${rules}components:
  api: { kind: service, replicas: 2, depends-on: [pay], retry: { attempts: 2 } }
  pay: { kind: external }
`;
    const flagged = (t: string) => lint(t).findings.filter((f) => f.ruleId === 'retry-without-backoff').length;
    expect(flagged(text(''))).toBe(1);
    expect(flagged(text('rules: { retry-without-backoff: [warning, { min-attempts: 3 }] }\n'))).toBe(0);
  });
});

describe('the configuration file', () => {
  it('takes [severity, options], and reports options a rule does not take at the option', () => {
    expect(readConfigText('rules:\n  no-headroom: [warning, { spare: 2 }]\n').config?.rules).toEqual({
      'no-headroom': ['warning', { spare: 2 }],
    });
    const text = 'rules:\n  no-headroom: [warning, { spare: 2.5 }]\n  retry-without-backoff: [warning, { attempts: 3 }]\n';
    const { config, findings } = readConfigText(text);
    expect(config).toBeUndefined();
    expect(findings.map((f) => [f.message, slice(text, f.range)])).toEqual([
      ['option spare of no-headroom must be a whole number from 0 to 100, not 2.5', '2.5'],
      ['unknown option "attempts" of retry-without-backoff: it takes min-attempts', 'attempts'],
    ]);
  });
});

describe('the editor’s archlint.rules setting', () => {
  it('takes [severity, options], and logs and ignores options a rule does not take', () => {
    const logged: string[] = [];
    const settings = readSettings(
      { rules: { 'no-headroom': ['warning', { spare: 2, extra: 1 }], 'sticky-sessions': ['bogus'] } },
      (m) => logged.push(m),
    );
    expect(settings.rules).toEqual({ 'no-headroom': ['warning', { spare: 2, extra: 1 }] });
    expect(logged).toEqual([
      'archlint.rules: unknown option "extra" of no-headroom: it takes spare. Ignored.',
      'archlint.rules: "sticky-sessions" has ["bogus"]; expected error, warning, info or off, or [severity, { options }]. Ignored.',
    ]);
    // The engine reads only the valid option.
    expect(headroom(HEADROOM(), { settings: settings.rules })).toHaveLength(1);
  });
});

describe('--rule on the command line', () => {
  it('takes options as JSON after a colon, and commas inside them do not split the list', () => {
    expect(splitRuleItems('a=off, b=warning:{"x":1,"y":[1,2]},c=error:{"s":"a,}"}')).toEqual([
      'a=off',
      'b=warning:{"x":1,"y":[1,2]}',
      'c=error:{"s":"a,}"}',
    ]);
    expect(
      parseRuleOverrides(['sticky-sessions=off,no-headroom=error:{"spare":2}', 'availability-below-slo=info:{"margin":0.1}']),
    ).toEqual({
      'sticky-sessions': 'off',
      'no-headroom': ['error', { spare: 2 }],
      'availability-below-slo': ['info', { margin: 0.1 }],
    });
  });

  it('refuses options that are not JSON, or that the rule does not take', () => {
    expect(() => parseRuleOverrides(['no-headroom=error:{spare:2}'])).toThrow(ArgumentError);
    expect(() => parseRuleOverrides(['no-headroom=error:{spare:2}'])).toThrow(/must be JSON/);
    expect(() => parseRuleOverrides(['no-headroom=error:{"spare":"two"}'])).toThrow(
      '--rule: option spare of no-headroom must be a whole number from 0 to 100, not "two"',
    );
    expect(() => parseRuleOverrides(['sticky-sessions=error:{"spare":1}'])).toThrow('sticky-sessions takes no options');
  });
});
