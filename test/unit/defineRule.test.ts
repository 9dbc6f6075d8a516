/** `defineRule`: the one way to write a rule — its docs link, and fix builders that cannot crash. */
import { describe, expect, it } from 'vitest';
import { lint, ruleDocsUrl, rules } from '../../extension/src/engine';
import { defineRule } from '../../extension/src/engine/rules/define';

const TEXT = 'archlint: 1\ncomponents:\n  web: { kind: service, replicas: 2 }\n';

const throwing = defineRule({
  meta: {
    id: 'throwing-fixes',
    severity: 'warning',
    summary: 'a rule whose first fix cannot be made',
    rationale: 'A test rule.',
    fix: 'safe',
    messages: { here: 'here' },
  },
  check(ctx) {
    ctx.report({
      messageId: 'here',
      range: [0, 8],
      fixes: [
        () => {
          throw new Error('an alias the edit helpers cannot follow');
        },
        () => undefined,
        () => ({ title: 'kept', applicability: 'safe', edits: [{ range: [0, 8], text: 'archlint' }] }),
      ],
    });
  },
});

describe('defineRule', () => {
  it('fills in the documentation link of every rule', () => {
    expect(throwing.meta.url).toBe(ruleDocsUrl('throwing-fixes'));
    for (const rule of rules) expect(rule.meta.url).toBe(ruleDocsUrl(rule.meta.id));
  });

  it('makes a builder that throws offer no fix, and keeps the others', () => {
    const result = lint(TEXT, { rules: [throwing] });
    const [finding] = result.findings.filter((f) => f.ruleId === 'throwing-fixes');
    expect(finding?.message).toBe('here');
    expect(result.fixes(finding!).map((f) => f.title)).toEqual(['kept']);
  });
});
