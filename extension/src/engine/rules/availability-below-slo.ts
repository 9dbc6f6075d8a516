import { formatAvailability } from '../availability/format';
import type { RelatedLocation } from '../types';
import { defineRule } from './define';

export const availabilityBelowSlo = defineRule({
  meta: {
    id: 'availability-below-slo',
    severity: 'warning',
    summary: 'an entry point whose computed availability is below its SLO',
    rationale:
      'An SLO that the topology cannot reach is a promise broken on paper before the first incident: every ' +
      'component in series multiplies its unavailability into the entry point, and no amount of operational care ' +
      'makes a single 99.5% database deliver 99.95%. Archlint computes the availability exactly from the file ' +
      '(k-of-n pools, shared dependencies counted once, correlated zone failures) and names the weakest link — ' +
      'the component that, made perfect, would raise the entry point the most — so the fix starts where it pays.',
    messages: {
      belowSlo:
        '{{entry}} is {{availability}} available, below its SLO of {{slo}}: {{weakest}} is the weakest link ' +
        '(a perfect {{weakest}} would give {{improved}})',
      belowSloNoWeakest: '{{entry}} is {{availability}} available, below its SLO of {{slo}}',
      alwaysDown: '{{entry}} is never up, below its SLO of {{slo}}: {{reason}}',
    },
  },
  check(ctx) {
    for (const entry of ctx.availability.entries) {
      if (entry.meetsSlo !== false || entry.slo === undefined) continue;
      const component = ctx.component(entry.component);
      if (!component) continue;
      // Reported where the promise is written: the entry's own `slo`, else the file's; a promise the
      // configuration file makes (`defaults.slo`) is reported at the entry point, and says where it is from.
      const range =
        entry.sloSource === 'entry' && component.keys.slo
          ? component.keys.slo.value
          : entry.sloSource === 'config'
            ? component.idRange
            : ctx.written.rangeAt(['slo']);
      const data = {
        entry: entry.component,
        availability: formatAvailability(entry.availability, entry.unavailability),
        slo: `${formatAvailability(entry.slo)}${entry.sloSource === 'config' ? ' (defaults.slo of the configuration file)' : ''}`,
      };
      const related: RelatedLocation[] = [{ range: component.idRange, message: `the entry point ${entry.component}` }];
      // A pool that can never carry the load: say why, not "0% available" with no reason.
      const prefix = `${entry.component}: `;
      const alwaysDown = ctx.availability.notes.find((n) => n.startsWith(prefix) && n.endsWith('so it is always down'));
      if (entry.availability === 0 && alwaysDown) {
        const reason = alwaysDown.slice(prefix.length);
        ctx.report({ messageId: 'alwaysDown', data: { ...data, reason }, range, component: entry.component, related });
        continue;
      }
      const weakest = entry.contributors[0];
      if (!weakest) {
        ctx.report({ messageId: 'belowSloNoWeakest', data, range, component: entry.component, related });
        continue;
      }
      const improved = entry.availability + weakest.gain;
      const weakestComponent = ctx.component(weakest.component);
      if (weakestComponent && weakest.component !== entry.component) {
        related.push({ range: weakestComponent.idRange, message: `${weakest.component}, the weakest link` });
      }
      ctx.report({
        messageId: 'belowSlo',
        data: {
          ...data,
          weakest: weakest.component,
          improved: formatAvailability(improved, Math.max(0, entry.unavailability - weakest.gain)),
        },
        range,
        component: entry.component,
        related,
      });
    }
  },
});
