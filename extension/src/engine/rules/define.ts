import { ruleDocsUrl } from './docsUrl';
import type { FixBuilder, Report, Rule, RuleContext, RuleDefinition } from './types';

/**
 * The one way to write a rule: its metadata and its check. The rule gets its documentation link,
 * and every fix builder it reports is guarded, so an edit that cannot be made (an alias, a shape
 * the edit helpers do not handle) means no fix, never a crash.
 */
export function defineRule(definition: RuleDefinition): Rule {
  const { meta, check } = definition;
  return {
    meta: { ...meta, url: ruleDocsUrl(meta.id) },
    check(ctx) {
      // The rule sees the same context (its lazy availability, the indent step its fixes keep) but reports guarded fixes.
      const guarded: RuleContext = Object.create(ctx, {
        report: { value: (r: Report) => ctx.report(r.fixes ? { ...r, fixes: r.fixes.map(guard) } : r) },
      });
      check(guarded);
    },
  };
}

function guard(build: FixBuilder): FixBuilder {
  return () => {
    try {
      return build();
    } catch {
      return undefined;
    }
  };
}
