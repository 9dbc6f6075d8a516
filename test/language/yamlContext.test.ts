import { describe, expect, it } from 'vitest';
import { cursorContext } from '../../extension/src/engine/language/yamlContext';

/** Splits `text|more` at the `|` marker: the text without it, and the cursor offset. */
function at(marked: string): [string, number] {
  const offset = marked.indexOf('|');
  return [marked.slice(0, offset) + marked.slice(offset + 1), offset];
}

const FILE = `archlint: 1
name: shop
zones:
  eu-1a: {}
components:
  edge:
    kind: load-balancer
    routes-to: [web]
  web:
    kind: service
    replicas: 3
`;

describe('cursorContext', () => {
  it('finds the component mapping for a key being typed, with the keys already there', () => {
    const [text, offset] = at(FILE.replace('    kind: service\n', '    kind: service\n    rou|\n'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.keyOf).toEqual(['components', 'web']);
    expect(ctx.valueAt).toBeUndefined();
    expect(ctx.prefix).toBe('rou');
    expect(ctx.siblings.sort()).toEqual(['kind', 'replicas']);
    expect(text.slice(ctx.range[0], ctx.range[1])).toBe('rou');
  });

  it('replaces the whole word under the cursor, not only its start', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    repl|icas: 3'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.keyOf).toEqual(['components', 'web']);
    expect(text.slice(ctx.range[0], ctx.range[1])).toBe('replicas');
  });

  it('offers top-level keys at column 0 and on an empty last line', () => {
    const [text, offset] = at(`${FILE}|`);
    expect(cursorContext(text, offset)!.keyOf).toEqual([]);
    const [text2, offset2] = at('archlint: 1\nsl|');
    const ctx = cursorContext(text2, offset2)!;
    expect(ctx.keyOf).toEqual([]);
    expect(ctx.siblings).toEqual(['archlint']);
  });

  it('finds a scalar value after its key', () => {
    const [text, offset] = at(FILE.replace('    kind: service', '    kind: serv|'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.valueAt).toEqual(['components', 'web', 'kind']);
    expect(ctx.keyOf).toBeUndefined();
    expect(ctx.prefix).toBe('serv');
  });

  it('finds an item of a flow sequence', () => {
    const [text, offset] = at(FILE.replace('routes-to: [web]', 'routes-to: [web, |]'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.valueAt).toEqual(['components', 'edge', 'routes-to', '[]']);
    expect(ctx.prefix).toBe('');
  });

  it('finds the value of a key inside a flow mapping in a block sequence', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    depends-on:\n      - { component: d| }'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.valueAt).toEqual(['components', 'web', 'depends-on', '[]', 'component']);
    expect(ctx.prefix).toBe('d');
  });

  it('finds members of an any-of group and keys of a flow mapping', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    depends-on:\n      - { any-of: [pay-eu, p|] }'));
    expect(cursorContext(text, offset)!.valueAt).toEqual(['components', 'web', 'depends-on', '[]', 'any-of', '[]']);
    const [text2, offset2] = at(FILE.replace('    replicas: 3', '    depends-on:\n      - { component: db, opt| }'));
    const ctx = cursorContext(text2, offset2)!;
    expect(ctx.keyOf).toEqual(['components', 'web', 'depends-on', '[]']);
    expect(ctx.siblings).toEqual(['component']);
  });

  it('after "- " offers both a scalar item and the keys of an item mapping', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    depends-on:\n      - db\n      - |'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.valueAt).toEqual(['components', 'web', 'depends-on', '[]']);
    expect(ctx.keyOf).toEqual(['components', 'web', 'depends-on', '[]']);
  });

  it('finds a key of a block mapping inside a sequence item, below its first key', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    depends-on:\n      - component: db\n        op|'));
    const ctx = cursorContext(text, offset)!;
    expect(ctx.keyOf).toEqual(['components', 'web', 'depends-on', '[]']);
    expect(ctx.siblings).toEqual(['component']);
  });

  it('finds a session-store value and a nested block key', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    session-store: |'));
    expect(cursorContext(text, offset)!.valueAt).toEqual(['components', 'web', 'session-store']);
    const [text2, offset2] = at(FILE.replace('    replicas: 3', '    health-check:\n      path: /healthz\n      in|'));
    expect(cursorContext(text2, offset2)!.keyOf).toEqual(['components', 'web', 'health-check']);
  });

  it('skips comments and blank lines when looking for the parent', () => {
    const [text, offset] = at('components:\n  # the edge\n\n  edge:\n    # what it is\n\n    ki|');
    expect(cursorContext(text, offset)!.keyOf).toEqual(['components', 'edge']);
  });

  it('works with CRLF line breaks', () => {
    const [text, offset] = at('components:\r\n  web:\r\n    kind: se|\r\n');
    const ctx = cursorContext(text, offset)!;
    expect(ctx.valueAt).toEqual(['components', 'web', 'kind']);
    expect(ctx.prefix).toBe('se');
  });

  it('strips an opening quote from the prefix and the replaced range', () => {
    const [text, offset] = at('components:\n  web:\n    session-store: "ca|');
    const ctx = cursorContext(text, offset)!;
    expect(ctx.prefix).toBe('ca');
    expect(text.slice(ctx.range[0], ctx.range[1])).toBe('ca');
  });

  it('offers nothing inside a comment or a closed flow collection', () => {
    const [text, offset] = at(FILE.replace('    replicas: 3', '    replicas: 3 # three r|'));
    expect(cursorContext(text, offset)).toBeUndefined();
    const [text2, offset2] = at(FILE.replace('routes-to: [web]', 'routes-to: [web] |'));
    expect(cursorContext(text2, offset2)).toBeUndefined();
  });
});
