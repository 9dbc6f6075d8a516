import { formatAvailability } from '../availability/format';
import type { RelatedLocation } from '../types';
import { defineRule } from './define';

/** What floating-point sums may miss a margin by (as the SLO check allows). */
const MARGIN_TOLERANCE = 1e-12;

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
    options: {
      margin: {
        type: 'number',
        minimum: 0,
        maximum: 100,
        default: 0,
        description:
          'How far above its SLO, in percentage points, an entry point’s computed availability must be: 0.05 flags ' +
          'a 99.9% SLO met with less than 99.95%, keeping part of the error budget for what the file does not ' +
          'model (releases, bad configuration, overload).',
      },
    },
    messages: {
      belowMargin:
        '{{entry}} is {{availability}} available, less than {{margin}} above its SLO of {{slo}}: {{weakest}} is ' +
        'the weakest link (a perfect {{weakest}} would give {{improved}})',
      belowMarginNoWeakest: '{{entry}} is {{availability}} available, less than {{margin}} above its SLO of {{slo}}',
      belowSlo:
        '{{entry}} is {{availability}} available, below its SLO of {{slo}}: {{weakest}} is the weakest link ' +
        '(a perfect {{weakest}} would give {{improved}})',
      belowSloNoWeakest: '{{entry}} is {{availability}} available, below its SLO of {{slo}}',
      alwaysDown: '{{entry}} is never up, below its SLO of {{slo}}: {{reason}}',
    },
  },
  check(ctx) {
    const margin = ctx.options.margin! / 100;
    for (const entry of ctx.availability.entries) {
      if (entry.slo === undefined) continue;
      const below = entry.meetsSlo === false;
      // Within the margin: the same float tolerance as the SLO's own check.
      if (!below && (margin === 0 || entry.availability >= entry.slo + margin - MARGIN_TOLERANCE)) continue;
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
        margin: `${ctx.options.margin} percentage points`,
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
        ctx.report({
          messageId: below ? 'belowSloNoWeakest' : 'belowMarginNoWeakest',
          data,
          range,
          component: entry.component,
          related,
        });
        continue;
      }
      const improved = entry.availability + weakest.gain;
      const weakestComponent = ctx.component(weakest.component);
      if (weakestComponent && weakest.component !== entry.component) {
        related.push({ range: weakestComponent.idRange, message: `${weakest.component}, the weakest link` });
      }
      ctx.report({
        messageId: below ? 'belowSlo' : 'belowMargin',
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
