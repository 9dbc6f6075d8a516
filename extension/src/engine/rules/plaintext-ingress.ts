import { insertEntries, replaceValue } from '../fix/yamlEdits';
import type { Component } from '../model/model';
import type { Fix } from '../types';
import { noteOn, type RuleContext } from './types';
import { defineRule } from './define';

/**
 * `tls: terminate`. Stating TLS where the file said nothing is safe: it fills in only what the
 * finding is about. Overwriting a written `tls: none` is unsafe: that was somebody's decision.
 */
function terminateFix(ctx: RuleContext, c: Component): Fix | undefined {
  const path = ['components', c.id];
  const written = c.keys.tls !== undefined;
  const edit = written ? replaceValue(ctx, [...path, 'tls'], 'terminate') : insertEntries(ctx, path, [['tls', 'terminate']]);
  return { title: `Terminate TLS at ${c.id} (tls: terminate)`, edits: [edit], applicability: written ? 'unsafe' : 'safe' };
}

export const plaintextIngress = defineRule({
  meta: {
    id: 'plaintext-ingress',
    severity: 'warning',
    summary: 'a public component that does not state TLS, or states `tls: none`',
    rationale:
      'Traffic from the internet crosses networks nobody in the system controls. Without TLS every password, ' +
      'session cookie and API key in it can be read, and every response altered, by anyone on the path — a café ' +
      'Wi-Fi, an ISP, a compromised router — and browsers mark the site as not secure. A session store and ' +
      'stateless instances do not help when the session id itself travels in the clear. A public component should ' +
      'say where TLS ends: `terminate` it there, or `passthrough` to targets that do.',
    fix: 'mixed',
    messages: {
      none: '{{id}} is public with tls: none: passwords and session cookies cross the internet in plain text; terminate TLS here{{note}}',
      unstated:
        '{{id}} is public but states no tls: say where TLS ends (terminate here, or passthrough to targets that terminate it){{note}}',
    },
  },
  check(ctx) {
    for (const c of ctx.model.components.values()) {
      if (!c.public || c.kind === 'external') continue;
      // A written `tls` with a value the schema rejects is the schema's finding; `terminate` and `passthrough` encrypt.
      if (c.keys.tls && c.tls !== 'none') continue;
      ctx.report({
        messageId: c.keys.tls ? 'none' : 'unstated',
        data: { id: c.id, note: noteOn(c, 'tls') },
        range: c.keys.tls?.value ?? c.keys.public?.value ?? c.idRange,
        component: c.id,
        fixes: [() => terminateFix(ctx, c)],
      });
    }
  },
});
