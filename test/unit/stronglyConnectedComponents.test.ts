import { describe, expect, it } from 'vitest';
import { buildGraph, stronglyConnectedComponents, type Edge, type Graph } from '../../extension/src/engine/model/graph';
import { lint } from '../../extension/src/engine';

/** A graph of bare edges (`a>b`), enough for the SCC helper, which reads only `edges`. */
function graphOf(...arrows: string[]): Graph {
  const edges: Edge[] = arrows.map((a) => {
    const [from, to] = a.split('>') as [string, string];
    return { from, to, type: 'depends', optional: false, range: [0, 0] };
  });
  return { edges, requirements: new Map(), entryPoints: [], dependents: new Map(), derived: {} };
}

describe('stronglyConnectedComponents', () => {
  it('puts every node of a chain in its own component, in the order the nodes are given', () => {
    expect(stronglyConnectedComponents(graphOf('a>b', 'b>c'), ['a', 'b', 'c'])).toEqual([['a'], ['b'], ['c']]);
  });

  it('finds a 3-cycle with a tail, members in the given order', () => {
    const g = graphOf('x>c', 'c>a', 'a>b', 'b>c', 'b>d');
    expect(stronglyConnectedComponents(g, ['a', 'b', 'c', 'd', 'x'])).toEqual([['a', 'b', 'c'], ['d'], ['x']]);
  });

  it('keeps a self-loop a single-member component (the caller decides it is a cycle)', () => {
    expect(stronglyConnectedComponents(graphOf('a>a', 'a>b'), ['a', 'b'])).toEqual([['a'], ['b']]);
  });

  it('separates two cycles joined by a one-way edge', () => {
    const g = graphOf('a>b', 'b>a', 'b>c', 'c>d', 'd>c');
    expect(stronglyConnectedComponents(g, ['a', 'b', 'c', 'd'])).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('ignores edges to nodes that are not listed', () => {
    expect(stronglyConnectedComponents(graphOf('a>ghost', 'ghost>a'), ['a'])).toEqual([['a']]);
  });

  it('handles a chain far longer than any call stack would allow recursively', () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const arrows = ids.map((id, i) => `${id}>${ids[(i + 1) % n]}`);
    const sccs = stronglyConnectedComponents(graphOf(...arrows), ids);
    expect(sccs).toHaveLength(1);
    expect(sccs[0]).toHaveLength(n);
  });

  it('agrees with a brute-force reachability check on random graphs', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => `n${i}`);
      const arrows: string[] = [];
      for (const a of ids) for (const b of ids) if (random() < 0.2) arrows.push(`${a}>${b}`);
      const reach = (from: string): Set<string> => {
        const seen = new Set([from]);
        const queue = [from];
        while (queue.length) {
          const at = queue.shift()!;
          for (const arrow of arrows) {
            const [f, t] = arrow.split('>') as [string, string];
            if (f === at && !seen.has(t)) {
              seen.add(t);
              queue.push(t);
            }
          }
        }
        return seen;
      };
      const reachable = new Map(ids.map((id) => [id, reach(id)]));
      const sccs = stronglyConnectedComponents(graphOf(...arrows), ids);
      expect(sccs.flat().sort()).toEqual([...ids].sort());
      for (const scc of sccs) {
        for (const a of ids) {
          const mutual = reachable.get(scc[0]!)!.has(a) && reachable.get(a)!.has(scc[0]!);
          expect(scc.includes(a)).toBe(mutual);
        }
      }
    }
  });

  it('counts routes, dependencies (optional ones too) and session stores of a real file', () => {
    const { model } = lint(
      [
        'archlint: 1',
        'components:',
        '  web: { kind: service, session-store: cache, routes-to: [api] }',
        '  api: { kind: service, depends-on: [{ component: web, optional: true }] }',
        '  cache: { kind: cache, depends-on: [web] }',
        '  lone: { kind: worker }',
      ].join('\n'),
    );
    const graph = buildGraph(model!);
    expect(stronglyConnectedComponents(graph, [...model!.components.keys()])).toEqual([['web', 'api', 'cache'], ['lone']]);
  });
});
