/**
 * `archlint model` promises that linting what it prints gives the same findings (rule and
 * component) as linting the source: held here over every Kubernetes and Compose fixture. A value the model
 * holds but the format cannot say (a sticky Service's affinity was one) shows as a finding lost.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  architectureYaml,
  BUILTIN_IDS,
  lint,
  lintCompose,
  lintKubernetes,
  overrideCandidatesOf,
  type LintResult,
} from '../../extension/src/engine';

const DIR = join(__dirname, 'kubernetes');
const MANIFEST = /\.(ya?ml|json)$/;
const BUILTINS = new Set<string>(Object.values(BUILTIN_IDS));

/** Each fixture: a file of its own, or a folder whose files are linted together. */
const FIXTURES = readdirSync(DIR)
  .sort()
  .filter((name) => name !== '__snapshots__')
  .map((name) =>
    statSync(join(DIR, name)).isDirectory()
      ? readdirSync(join(DIR, name))
          .filter((f) => MANIFEST.test(f))
          .sort()
          .map((f) => `${name}/${f}`)
      : [name],
  )
  .filter((files) => files.every((f) => MANIFEST.test(f)));

/** `rule component` of every finding a rule gave, silenced ones too (a disable comment stays in the source). */
const pairs = (result: LintResult) =>
  [...result.findings, ...result.suppressed]
    .filter((f) => !BUILTINS.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.component ?? ''}`)
    .sort();

describe('archlint model of Kubernetes manifests', () => {
  it.each(FIXTURES.map((files) => [files.join(' + '), files] as const))(
    '%s: the printed architecture gives the same findings as the manifests',
    (_name, files) => {
      const source = lintKubernetes({ files: files.map((file) => ({ file, text: readFileSync(join(DIR, file), 'utf8') })) });
      if (!source.model) return;
      const printed = architectureYaml(source.model, source.origins ?? new Map(), ['round trip']);
      expect(pairs(lint(printed)), printed).toEqual(pairs(source));
    },
  );

  it('prints a sticky Service as its pool balanced by kube-proxy with ip-hash, where it came from beside it', () => {
    const source = lintKubernetes({
      files: [{ file: 'kind-list.yaml', text: readFileSync(join(DIR, 'kind-list.yaml'), 'utf8') }],
    });
    const printed = architectureYaml(source.model!, source.origins ?? new Map(), []);
    expect(printed).toMatch(/balancing: ip-hash # from kind-list\.yaml:10 Service session sessionAffinity: ClientIP\n/);
    const again = lint(printed);
    // The finding is the pool's (kube-proxy is no component), and its fix writes the pool's balancing.
    expect(pairs(again)).toContain('sticky-sessions session');
    const sticky = again.findings.find((f) => f.ruleId === 'sticky-sessions')!;
    const [fix] = again.fixes(sticky);
    expect(fix?.title).toBe('Switch kube-proxy for session to round-robin');
    const fixed = applyEdits(printed, fix!.edits);
    expect(fixed).toMatch(/balancing: round-robin # from kind-list\.yaml:10/);
    expect(pairs(lint(fixed))).not.toContain('sticky-sessions session');
  });
});

const COMPOSE = join(__dirname, 'compose');
/** Each Compose fixture: a file of its own, or a folder's compose.yaml with its override. */
const PROJECTS = readdirSync(COMPOSE)
  .sort()
  .filter((name) => name !== '__snapshots__')
  .flatMap((name) => {
    if (!statSync(join(COMPOSE, name)).isDirectory()) return /\.ya?ml$/.test(name) ? [[join(COMPOSE, name)]] : [];
    const main = join(COMPOSE, name, 'compose.yaml');
    return [[main, ...overrideCandidatesOf(main).filter((f) => existsSync(f))]];
  });
const readFile = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

describe('archlint model of Compose projects', () => {
  it.each(PROJECTS.map((files) => [files.map((f) => f.slice(COMPOSE.length + 1)).join(' + '), files] as const))(
    '%s: the printed architecture gives the same findings as the project',
    (_name, files) => {
      const source = lintCompose({ files: files.map((file) => ({ file, text: readFile(file)! })), readFile });
      if (!source.model) return;
      const printed = architectureYaml(source.model, source.origins ?? new Map(), ['round trip']);
      expect(pairs(lint(printed)), printed).toEqual(pairs(source));
    },
  );
});
