import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, archlintWithInput, BROKEN, buildCliOnce, CLEAN, tempTree } from './setup';

beforeAll(buildCliOnce);

/** An element as a strict XML parser sees it: name, attributes, child elements, and its text (CDATA included). */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses XML with Python's expat (through minidom), a conforming XML 1.0 parser: any
 * well-formedness error (a character XML cannot hold, `]]>` in text, an unescaped `<` in an
 * attribute, a second root) fails the parse, and the test with it.
 */
function parseXml(xml: string): XmlElement {
  const program = `
import json, sys, xml.dom.minidom as minidom
def element(node):
    return {
        "name": node.tagName,
        "attributes": dict(node.attributes.items()),
        "children": [element(c) for c in node.childNodes if c.nodeType == c.ELEMENT_NODE],
        "text": "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE)),
    }
document = minidom.parseString(sys.stdin.buffer.read())
json.dump(element(document.documentElement), sys.stdout)
`;
  const result = spawnSync('python3', ['-c', program], { input: xml, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`not well-formed XML: ${result.stderr.trim().split('\n').at(-1)}\n${xml}`);
  return JSON.parse(result.stdout) as XmlElement;
}

/** web is balanced but has no health check (a warning); edge has one replica (an error). */
const FINDINGS = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 1
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  web:
    kind: service
    replicas: 3
`;

describe('--format junit', () => {
  it('writes one test suite per file and one failing test case per finding, in the shape of ESLint’s formatter', () => {
    const dir = tempTree({ 'a/clean.arch.yaml': CLEAN, 'b/findings.arch.yaml': FINDINGS, 'c/broken.arch.yaml': BROKEN });
    const r = archlint(['lint', '--format', 'junit'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n')).toBe(true);
    const root = parseXml(r.stdout);
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => [s.name, s.attributes])).toEqual([
      ['testsuite', { package: 'archlint', time: '0', tests: '1', failures: '0', errors: '0', name: 'a/clean.arch.yaml' }],
      ['testsuite', { package: 'archlint', time: '0', tests: '2', failures: '2', errors: '0', name: 'b/findings.arch.yaml' }],
      ['testsuite', { package: 'archlint', time: '0', tests: '1', failures: '0', errors: '1', name: 'c/broken.arch.yaml' }],
    ]);
    const [clean, findings, broken] = root.children;
    // A clean file is one passing test case named by the file.
    expect(clean!.children).toEqual([
      { name: 'testcase', attributes: { time: '0', name: 'a/clean.arch.yaml', classname: 'a/clean' }, children: [], text: '' },
    ]);
    // One test case per finding, in the order of the file; the body as ESLint writes it.
    const json = JSON.parse(archlint(['lint', '--format', 'json', 'b/findings.arch.yaml'], dir).stdout)[0].messages as {
      ruleId: string;
      message: string;
      line: number;
      column: number;
      severity: number;
    }[];
    expect(findings!.children).toHaveLength(json.length);
    findings!.children.forEach((testcase, i) => {
      const m = json[i]!;
      const severity = m.severity === 2 ? 'error' : 'warning';
      expect(testcase.attributes).toEqual({ time: '0', name: `archlint.${m.ruleId}`, classname: 'b/findings' });
      expect(testcase.children).toEqual([
        {
          name: 'failure',
          attributes: { message: m.message, type: severity },
          children: [],
          text: `line ${m.line}, col ${m.column}, ${severity === 'error' ? 'Error' : 'Warning'} - ${m.message} (${m.ruleId})`,
        },
      ]);
    });
    // A file that cannot be read is an error, not a failure, as ESLint's fatal parse errors are.
    expect(broken!.children[0]!.children[0]).toMatchObject({ name: 'error', attributes: { type: 'error' } });
    expect(broken!.children[0]!.children[0]!.text).toMatch(/^line 3, col \d+, Error - YAML syntax error: .* \(yaml-syntax\)$/);
  });

  it('stays well-formed whatever the ids hold: markup, quotes, "]]>", control characters, newlines, bidi overrides', () => {
    const id = 'a]]>b<&"\'\u0001\u202e\nz';
    const hostile = `archlint: 1
components:
  ${JSON.stringify(id)}:
    kind: load-balancer
    entry: true
    replicas: 1
    routes-to: [web]
  web:
    kind: service
    replicas: 2
`;
    const r = archlintWithInput(['lint', '--format', 'junit', '--rule', 'missing-health-check=info', '-'], hostile);
    const suite = parseXml(r.stdout.toString('utf8')).children[0]!;
    expect(suite.attributes.name).toBe('<stdin>');
    // Everything XML can hold comes back as it was; the control character, which it cannot, as \u{1}.
    const shown = id.replace('\u0001', '\\u{1}');
    const failures = suite.children.map((c) => c.children[0]!);
    expect(failures.map((f) => f.attributes.type)).toEqual(['error', 'info']);
    expect(failures[0]!.attributes.message).toBe(
      `${shown} is a single point of failure: a load balancer with one replica; its loss takes down ${shown} (itself an entry point)`,
    );
    expect(failures[0]!.text).toContain(`Error - ${shown} is a single point of failure`);
    expect(failures[1]!.text).toMatch(/^line \d+, col \d+, Info - web has no health-check/);
  });

  it('writes to --output-file, with the same exit code', () => {
    const dir = tempTree({ 'f.arch.yaml': FINDINGS });
    const r = archlint(['lint', '-f', 'junit', '-o', 'reports/archlint.xml', '--rule', 'single-point-of-failure=off'], dir);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    const suite = parseXml(readFileSync(join(dir, 'reports/archlint.xml'), 'utf8')).children[0]!;
    expect(suite.attributes).toMatchObject({ name: 'f.arch.yaml', tests: '1', failures: '1' });
  });
});
