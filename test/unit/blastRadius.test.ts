import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius, isUp, type Edge, type Graph, type Requirements } from '../../extension/src/engine/model/graph';

/** A graph from requirements alone (edges derived from them, as buildGraph would give). */
function graphOf(requirements: Map<string, Requirements>, entryPoints: string[]): Graph {
  const edges: Edge[] = [];
  for (const [from, req] of requirements) {
    for (const to of req.all) edges.push({ from, to, type: 'depends', optional: false, range: [0, 0] });
    req.anyOf.forEach((group, i) => {
      for (const to of group) edges.push({ from, to, type: 'depends', optional: false, anyOf: i, range: [0, 0] });
    });
  }
  return { edges, requirements, entryPoints, dependents: new Map(), derived: {} };
}

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const subset = fc.subarray(ids, { maxLength: 3 });
const requirementsArb = fc.tuple(
  ...ids.map(() =>
    fc.record({
      all: subset,
      anyOf: fc.array(fc.subarray(ids, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
    }),
  ),
);

describe('blastRadius of one component', () => {
  it('is exactly the entry points isUp says it takes down, with and without cycles (property)', () => {
    fc.assert(
      fc.property(requirementsArb, fc.subarray(ids, { minLength: 1 }), fc.boolean(), (reqs, entries, acyclic) => {
        // Half the runs keep edges pointing "forward" only, so the fast path is taken too.
        const requirements = new Map(
          ids.map((id, i) => {
            const keep = (to: string) => to !== id && (!acyclic || ids.indexOf(to) > i);
            const r = reqs[i]!;
            return [id, { all: r.all.filter(keep), anyOf: r.anyOf.map((g) => g.filter(keep)).filter((g) => g.length > 0) }];
          }),
        );
        const graph = graphOf(requirements, entries);
        for (const c of ids) {
          const brute = entries.filter((e) => !isUp(graph, e, new Set([c])));
          expect(blastRadius(graph, c), `component ${c}`).toEqual(brute);
          expect(blastRadius(graph, new Set([c]))).toEqual(brute);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a member of an any-of group is not critical unless every member needs it', () => {
    const graph = graphOf(
      new Map([
        ['edge', { all: ['web'], anyOf: [] }],
        ['web', { all: [], anyOf: [['pay-eu', 'pay-us']] }],
        ['pay-eu', { all: ['vault'], anyOf: [] }],
        ['pay-us', { all: ['vault'], anyOf: [] }],
        ['vault', { all: [], anyOf: [] }],
      ]),
      ['edge'],
    );
    expect(blastRadius(graph, 'pay-eu')).toEqual([]);
    expect(blastRadius(graph, 'vault')).toEqual(['edge']);
    expect(blastRadius(graph, 'web')).toEqual(['edge']);
  });
});
