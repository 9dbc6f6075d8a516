/**
 * The analysis host: documents in, snapshot queries out. What an editor (through the language
 * server) and the CLI rely on: versions, edits, settings per document, cancellation of a stale
 * snapshot, files named on every result, and no result changing once given.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisHost, Cancelled, lint, QueryError, rulesById, type Rule } from '../../extension/src/engine';
import { runPipeline } from '../../extension/src/engine/lint';

const SHOP = readFileSync(join(__dirname, '..', '..', 'samples', 'shop.arch.yaml'), 'utf8');
const URI = 'file:///w/shop.arch.yaml';

const open = (text = SHOP, uri = URI) => {
  const host = new AnalysisHost();
  host.apply({ uri, version: 1, text });
  return host;
};

describe('the analysis host', () => {
  it("answers a document's queries with the findings a plain lint gives, each naming its file", () => {
    const analysis = open().snapshot();
    const plain = lint(SHOP);
    expect(analysis.findings(URI).map((f) => [f.ruleId, f.range])).toEqual(plain.findings.map((f) => [f.ruleId, f.range]));
    expect(analysis.findings(URI).length).toBeGreaterThan(0);
    for (const f of analysis.findings(URI)) {
      expect(f.file).toBe(URI);
      for (const r of f.related ?? []) expect(r.file).toBe(URI);
      for (const fix of analysis.fixes(f)) for (const e of fix.edits) expect(e.file).toBe(URI);
    }
  });

  it('reads only architecture (and Compose) files by name, unless told a document is one', () => {
    const host = new AnalysisHost();
    host.apply({ uri: 'file:///w/values.yaml', version: 1, text: SHOP });
    host.apply({ uri: 'file:///w/named.yaml', version: 1, text: SHOP, kind: 'architecture' });
    const analysis = host.snapshot();
    expect(analysis.lint('file:///w/values.yaml')).toBeUndefined();
    expect(analysis.findings('file:///w/values.yaml')).toEqual([]);
    expect(analysis.findings('file:///w/named.yaml').length).toBeGreaterThan(0);
    expect(analysis.lint('file:///w/never-opened.arch.yaml')).toBeUndefined();
  });

  it('applies edits in order, each to the text the ones before left, and ignores an older version', () => {
    const text = 'archlint: 1\ncomponents:\n  web: { kind: service }\n';
    const host = open(text);
    const service = text.indexOf('service');
    host.apply({
      uri: URI,
      version: 2,
      edits: [
        { range: [service, service + 'service'.length], text: 'database' },
        { range: [0, 0], text: '# head\n' },
      ],
    });
    expect(host.snapshot().document(URI)!.text).toBe('# head\narchlint: 1\ncomponents:\n  web: { kind: database }\n');
    host.apply({ uri: URI, version: 1, text: 'late: message\n' });
    expect(host.snapshot().document(URI)).toMatchObject({ version: 2 });
    expect(host.snapshot().lint(URI)!.model!.components.get('web')!.kind).toBe('database');
  });

  it('cancels the queries of a snapshot taken before its architecture changed, and only of that architecture', () => {
    const host = open();
    const other = 'file:///w/other.arch.yaml';
    host.apply({ uri: other, version: 1, text: SHOP });
    const before = host.snapshot();
    host.apply({ uri: URI, version: 2, text: SHOP.replace('replicas: 3', 'replicas: 4') });
    expect(before.outdated).toBe(true);
    expect(() => before.findings(URI)).toThrow(Cancelled);
    expect(before.findings(other).length).toBeGreaterThan(0);
    expect(host.snapshot().findings(URI).length).toBeGreaterThan(0);
  });

  it('never changes a result it gave: an older lint keeps its text, ranges and fixes after later edits', () => {
    const host = open();
    const first = host.snapshot().lint(URI)!;
    const findings = JSON.stringify(first.findings);
    const fixes = JSON.stringify(first.findings.map((f) => first.fixes(f)));
    const at = SHOP.indexOf('    kind: service') + '    kind: service'.length;
    for (let v = 2; v < 6; v++) {
      host.apply({ uri: URI, version: v, text: `${SHOP.slice(0, at)}\n    # edit ${v}${SHOP.slice(at)}` });
      host.snapshot().findings(URI);
    }
    expect(JSON.stringify(first.findings)).toBe(findings);
    expect(JSON.stringify(first.findings.map((f) => first.fixes(f)))).toBe(fixes);
    expect(first.text).toBe(SHOP);
  });

  it('takes settings per document over the defaults, below the file and above nothing else', () => {
    const host = open();
    const ruleOf = (id: string) =>
      host
        .snapshot()
        .findings(URI)
        .filter((f) => f.ruleId === id);
    expect(ruleOf('stateful-round-robin').length).toBeGreaterThan(0);
    host.configure({ rules: { 'stateful-round-robin': 'off' } });
    expect(ruleOf('stateful-round-robin')).toEqual([]);
    host.configure({ rules: { 'stateful-round-robin': 'info' } }, URI);
    expect(ruleOf('stateful-round-robin').map((f) => f.severity)).toEqual(['info']);
  });

  it('names the file a range carries when an architecture spans several (a source gives ranges their file)', () => {
    // A rule reporting on a range of another file, as the Compose and Kubernetes sources' model ranges will be.
    const other = 'file:///w/compose.override.yaml';
    const elsewhere: Rule = {
      meta: { ...rulesById.get('single-point-of-failure')!.meta, id: 'single-point-of-failure' },
      check(ctx) {
        ctx.report({
          messageId: 'singleInstance',
          range: [0, 4, other],
          related: [
            { range: [5, 9, other], message: 'there' },
            { range: [1, 2], message: 'here' },
          ],
          fixes: [() => ({ title: 't', applicability: 'safe', edits: [{ range: [0, 4, other], text: 'x' }] })],
        });
      },
    };
    const result = runPipeline(SHOP, { rules: [elsewhere] }, undefined, URI);
    const [finding] = result.findings.filter((f) => f.ruleId === 'single-point-of-failure');
    expect(finding!.file).toBe(other);
    expect(finding!.related!.map((r) => r.file)).toEqual([other, URI]);
    expect(result.fixes(finding!)[0]!.edits[0]!.file).toBe(other);
  });

  it('refuses a rename where there is no component, with a reason to show', () => {
    const analysis = open().snapshot();
    expect(() => analysis.prepareRename(URI, 0)).toThrow(QueryError);
    const at = SHOP.indexOf('\n  web:') + 3;
    expect(analysis.prepareRename(URI, at).placeholder).toBe('web');
    expect(() => analysis.rename(URI, at, 'edge')).toThrow(/exists already/);
  });

  it('forgets a closed document and its caches', () => {
    const host = open();
    host.snapshot().findings(URI);
    host.close(URI);
    expect(host.snapshot().lint(URI)).toBeUndefined();
    expect(host.openDocuments()).toEqual([]);
  });
});
