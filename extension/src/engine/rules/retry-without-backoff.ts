import { insertEntries, replaceValue } from '../fix/yamlEdits';
import type { Component } from '../model/model';
import type { Fix, Offsets, TextEdit } from '../types';
import type { RuleContext } from './types';
import { defineRule } from './define';

/**
 * `backoff: exponential` and `jitter: true`, for whichever of the two is missing or wrong. Adding
 * keys the file did not write is safe; overwriting a written `none`, `constant` or `jitter: false`
 * is unsafe, because someone chose it.
 */
function backoffFix(ctx: RuleContext, c: Component, wanted: ReadonlyArray<readonly [string, unknown]>): Fix | undefined {
  const path = ['components', c.id, 'retry'];
  const replaced = wanted.filter(([key]) => isWritten(ctx, c, key));
  const missing = wanted.filter(([key]) => !isWritten(ctx, c, key));
  const edits: TextEdit[] = replaced.map(([key, value]) => replaceValue(ctx, [...path, key], value));
  if (missing.length > 0) edits.push(insertEntries(ctx, path, missing));
  const changes = wanted.map(([key, value]) => `${key}: ${String(value)}`).join(', ');
  return {
    title: `Retry from ${c.id} with backoff and jitter (${changes})`,
    edits,
    applicability: replaced.length > 0 ? 'unsafe' : 'safe',
  };
}

/** Whether `retry` writes `key`, with any value (even one the schema rejects). */
function isWritten(ctx: RuleContext, c: Component, key: string): boolean {
  return ctx.written.writes(['components', c.id, 'retry'], key);
}

export const retryWithoutBackoff = defineRule({
  meta: {
    id: 'retry-without-backoff',
    severity: 'warning',
    summary: 'retries without a growing wait between attempts, or without jitter',
    rationale:
      'Retries multiply load exactly when a dependency can least take it. When it slows down or fails, every ' +
      'caller retries: with no wait, or the same short wait, N attempts turn one overload into N times the ' +
      'traffic, and the dependency never gets the quiet it needs to recover — a brief blip becomes a lasting ' +
      'outage (a retry storm). A wait that grows between attempts (exponential backoff) spreads the retries out, ' +
      'and jitter (a random part of the wait) keeps the callers that failed together from retrying together in ' +
      'synchronised waves.',
    fix: 'mixed',
    options: {
      'min-attempts': {
        type: 'integer',
        minimum: 2,
        maximum: 100,
        default: 2,
        description:
          'The fewest attempts (the first call included) a retry policy must make to be checked: 3 lets a single ' +
          'quick retry go without backoff, since it at most doubles the load.',
      },
    },
    messages: {
      noBackoff:
        '{{id}} retries up to {{attempts}} attempts with no wait between them{{andJitter}}: a struggling dependency ' +
        'gets {{attempts}} times the load; back off exponentially, with jitter',
      unstatedBackoff:
        '{{id}} retries up to {{attempts}} attempts without stating a backoff{{andJitter}}: unless the wait grows, a ' +
        'struggling dependency gets {{attempts}} times the load; back off exponentially, with jitter',
      constantBackoff:
        '{{id}} retries up to {{attempts}} attempts after the same wait each time{{andJitter}}: a struggling ' +
        'dependency never gets quieter; back off exponentially, with jitter',
      noJitter: '{{id}} backs off without jitter: callers that failed together retry together, in waves; set jitter: true',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      const retry = c.retry;
      // An external system's own retries are not the file's to change (as the other rules treat it).
      if (c.kind === 'external') continue;
      if (!retry || retry.attempts === undefined || retry.attempts < ctx.options['min-attempts']!) continue;
      const path = ['components', c.id, 'retry'];
      // A written value the schema rejects is the schema's finding; a missing one is this rule's.
      // `linear` and `exponential` waits grow between attempts; `none` and `constant` do not.
      const backoffWritten = isWritten(ctx, c, 'backoff');
      const jitterWritten = isWritten(ctx, c, 'jitter');
      const badBackoff = backoffWritten ? retry.backoff === 'none' || retry.backoff === 'constant' : true;
      const badJitter = jitterWritten ? retry.jitter === false : true;
      if (!badBackoff && !badJitter) continue;
      const retryKey = c.keys.retry!.key;
      let messageId: string;
      let range: Offsets;
      if (badBackoff) {
        messageId = !backoffWritten ? 'unstatedBackoff' : retry.backoff === 'constant' ? 'constantBackoff' : 'noBackoff';
        range = backoffWritten ? ctx.written.rangeAt([...path, 'backoff']) : retryKey;
      } else {
        messageId = 'noJitter';
        range = jitterWritten ? ctx.written.rangeAt([...path, 'jitter']) : retryKey;
      }
      ctx.report({
        messageId,
        data: { id: c.id, attempts: retry.attempts, andJitter: badJitter ? ' and without jitter' : '' },
        range,
        component: c.id,
        fixes: [
          () =>
            backoffFix(ctx, c, [
              ...(badBackoff ? [['backoff', 'exponential'] as const] : []),
              ...(badJitter ? [['jitter', true] as const] : []),
            ]),
        ],
      });
    }
  },
});
