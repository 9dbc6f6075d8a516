import { describe, expect, it } from 'vitest';
import { lint, type AvailabilityReport, type EntryAvailability, type Finding } from '../../extension/src/engine';
import { formatAvailability, formatDowntime } from '../../extension/src/engine/availability/format';
import { entryLensTitle, statusBarText, weakestEntry } from '../../extension/src/engine/language/availabilityView';
import { componentHover } from '../../extension/src/engine/language/hover';

const entry = (component: string, availability: number, over: Partial<EntryAvailability> = {}): EntryAvailability => {
  const unavailability = 1 - availability;
  const year = unavailability * 365.2425 * 86_400;
  return {
    component,
    availability,
    unavailability,
    nines: -Math.log10(unavailability),
    downtime: { year, month: year / 12, week: unavailability * 7 * 86_400, day: unavailability * 86_400 },
    contributors: [],
    ...over,
  };
};
const report = (entries: EntryAvailability[]): AvailabilityReport => ({ entries, components: new Map(), notes: [] });
const finding = (severity: Finding['severity']): Finding => ({
  ruleId: 'r',
  messageId: 'm',
  message: 'm',
  severity,
  range: [0, 1],
});

describe('CodeLens and status bar', () => {
  it('shows availability, yearly downtime and the SLO verdict over an entry point', () => {
    expect(entryLensTitle(entry('edge', 0.9995, { slo: 0.999, meetsSlo: true }))).toBe(
      '99.95% available · 4h 22m 58s down/year · SLO 99.90% ✓',
    );
    expect(entryLensTitle(entry('edge', 0.99, { slo: 0.999, meetsSlo: false }))).toMatch(
      /^99\.00% available · 3d 15h 39m 30s down\/year · SLO 99\.90% ✗$/,
    );
    expect(entryLensTitle(entry('edge', 0.99))).not.toContain('SLO');
  });

  it('uses the same numbers as the CLI formatter', () => {
    const e = entry('edge', 0.999712);
    expect(entryLensTitle(e)).toBe(
      `${formatAvailability(e.availability, e.unavailability)} available · ${formatDowntime(e.downtime.year)} down/year`,
    );
  });

  it('shows a pass mark and the weakest entry point when the file is clean', () => {
    const r = report([entry('api', 0.9999), entry('edge', 0.9995)]);
    expect(weakestEntry(r)!.component).toBe('edge');
    expect(statusBarText([], r).text).toBe('$(pass) Archlint: 99.95%');
    expect(statusBarText([], undefined).text).toBe('$(pass) Archlint');
  });

  it('counts problems by severity when there are some', () => {
    const status = statusBarText([finding('error'), finding('error'), finding('warning')], report([entry('edge', 0.9995)]));
    expect(status.text).toBe('Archlint: $(error) 2 $(warning) 1 · 99.95%');
    expect(status.tooltip).toContain('2 errors, 1 warning, 0 infos');
    expect(status.tooltip).toContain('edge: 99.95%');
  });
});

const FILE = `archlint: 1
slo: 99.9%
components:
  edge: { kind: load-balancer, entry: true, replicas: 2, routes-to: [web], health-check: { path: /h } }
  web: { kind: service, replicas: 3, health-check: { path: /h }, depends-on: [db] }
  db: { kind: database, replicas: 2, failover: { mode: automatic, standby: hot }, health-check: { path: /h } }
`;

describe('availability from the engine', () => {
  it('the hover shows the pool availability the engine computed', () => {
    const result = lint(FILE);
    const pool = result.availability!.components.get('db')!;
    expect(componentHover(result, 'db')).toContain(
      `Pool availability: **${formatAvailability(pool.pool, pool.unavailability)}**`,
    );
  });
});
