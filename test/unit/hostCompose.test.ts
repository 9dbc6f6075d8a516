/**
 * The analysis host with Compose projects: a compose document belongs to its project (keyed by
 * the base file), the project reads open documents first and the host's `readFile` else, a
 * change to any of its files (open, or on disk and announced) invalidates it, and every query
 * answers only for the file it is asked about.
 */
import { describe, expect, it } from 'vitest';
import { AnalysisHost, Cancelled, LineIndex, QueryError } from '../../extension/src/engine';
import { hostWithDisk } from './hostDisk';

const BASE = 'file:///w/compose.yaml';
const OVERRIDE = 'file:///w/compose.override.yaml';

const WEB_API_DB = `services:
  web:
    image: nginx:1.27
    ports:
      - "80:80"
    depends_on:
      - api
  api:
    image: example/api:1.4
    environment:
      DATABASE_URL: postgres://db:5432/app
  db:
    image: postgres:16
`;

/** Two api replicas, and db's one instance written down (its finding lands here). */
const OVERRIDE_TEXT = `services:
  api:
    deploy:
      replicas: 2
    depends_on:
      - db
  db:
    deploy:
      replicas: 1
`;

const lineOf = (text: string, offset: number) => new LineIndex(text).position(offset).line;
const ruleLines = (host: AnalysisHost, uri: string, text: string) =>
  host
    .snapshot()
    .findings(uri)
    .map((f) => `${f.ruleId}@${lineOf(text, f.range[0])}`);

describe('the analysis host with Compose files', () => {
  it('lints a compose.yaml by its name, its findings on the service lines and naming the file', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    expect(host.document(BASE)?.kind).toBe('compose');
    expect(ruleLines(host, BASE, WEB_API_DB)).toEqual([
      'single-point-of-failure@1',
      'anonymous-rate-limit@4',
      'plaintext-ingress@4',
      'single-point-of-failure@7',
      'single-point-of-failure@11',
    ]);
    for (const f of host.snapshot().findings(BASE)) expect(f.file).toBe(BASE);
  });

  it('groups an override with its base into one project, each file answering for its own findings', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    const analysis = host.snapshot();
    expect(analysis.lint(OVERRIDE)).toBe(analysis.lint(BASE));
    expect([...analysis.lint(BASE)!.files!.keys()]).toEqual([BASE, OVERRIDE]);
    // api has two replicas now (and needs a health check); db's single point of failure is on its replicas line in the override.
    expect(ruleLines(host, BASE, WEB_API_DB)).toEqual([
      'single-point-of-failure@1',
      'anonymous-rate-limit@4',
      'plaintext-ingress@4',
      'missing-health-check@7',
    ]);
    expect(ruleLines(host, OVERRIDE, OVERRIDE_TEXT)).toEqual(['single-point-of-failure@8']);
    expect(host.affectedBy(OVERRIDE)).toEqual([BASE]);
    expect(host.affectedBy(BASE)).toEqual([OVERRIDE]);
  });

  it('reads the files of a project that are not open through readFile, and only those', () => {
    const { host, reads } = hostWithDisk({ [BASE]: WEB_API_DB });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    const analysis = host.snapshot();
    expect(analysis.lint(OVERRIDE)?.files?.get(BASE)?.text).toBe(WEB_API_DB);
    expect(analysis.findings(OVERRIDE).map((f) => f.file)).toEqual([OVERRIDE]);
    // The base's findings are there, for its own URI, but the base is not open: it is not answered for.
    expect(analysis.lint(OVERRIDE)!.findings.some((f) => f.file === BASE)).toBe(true);
    expect(analysis.findings(BASE)).toEqual([]);
    expect(reads).toContain(BASE);
    expect(reads.every((uri) => uri.startsWith('file:///w/'))).toBe(true);
  });

  it('invalidates a project when any of its files changes: an open one, or one on disk the client announces', () => {
    const { host, files } = hostWithDisk({ [OVERRIDE]: OVERRIDE_TEXT });
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    expect(ruleLines(host, BASE, WEB_API_DB)).not.toContain('single-point-of-failure@7');

    // The override changes on disk: nothing is re-read until the host is told.
    files.set(OVERRIDE, 'services: {}\n');
    const before = host.snapshot();
    expect(ruleLines(host, BASE, WEB_API_DB)).not.toContain('single-point-of-failure@7');
    host.fileChanged(OVERRIDE);
    expect(() => before.findings(BASE)).toThrow(Cancelled);
    expect(ruleLines(host, BASE, WEB_API_DB)).toContain('single-point-of-failure@7');

    // Opened, the override's text in the editor wins over the disk's, edit by edit.
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    expect(ruleLines(host, BASE, WEB_API_DB)).not.toContain('single-point-of-failure@7');
    const replicas = OVERRIDE_TEXT.indexOf('2');
    host.apply({ uri: OVERRIDE, version: 2, edits: [{ range: [replicas, replicas + 1], text: '1' }] });
    // api's finding is where its count is written now: the override's replicas line.
    expect(ruleLines(host, OVERRIDE, OVERRIDE_TEXT)).toEqual(['single-point-of-failure@3', 'single-point-of-failure@8']);

    // Closed again, it is read from disk again.
    host.close(OVERRIDE);
    expect(ruleLines(host, BASE, WEB_API_DB)).toContain('single-point-of-failure@7');
    expect(host.snapshot().lint(BASE)?.files?.get(OVERRIDE)?.text).toBe('services: {}\n');
  });

  it('finds the base of an override once it exists, and an override alone is a project of its own', () => {
    const { host, files } = hostWithDisk();
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    expect([...host.snapshot().lint(OVERRIDE)!.files!.keys()]).toEqual([OVERRIDE]);
    files.set(BASE, WEB_API_DB);
    host.fileChanged(BASE);
    expect([...host.snapshot().lint(OVERRIDE)!.files!.keys()]).toEqual([BASE, OVERRIDE]);
    files.delete(BASE);
    host.fileChanged(BASE);
    expect([...host.snapshot().lint(OVERRIDE)!.files!.keys()]).toEqual([OVERRIDE]);
    // An open base is found without the disk.
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    expect(host.snapshot().lint(OVERRIDE)).toBe(host.snapshot().lint(BASE));
  });

  it('re-reads an include target when it changes, and finds it once it is created', () => {
    const { host, files } = hostWithDisk();
    const included = 'file:///w/db/compose.db.yaml';
    host.apply({ uri: BASE, version: 1, text: `include:\n  - db/compose.db.yaml\n${WEB_API_DB.replace(/ {2}db:\n.*\n$/s, '')}` });
    expect(
      host
        .snapshot()
        .findings(BASE)
        .map((f) => f.messageId),
    ).toContain('missingFile');
    files.set(included, 'services:\n  db:\n    image: postgres:16\n');
    host.fileChanged(included);
    expect(
      host
        .snapshot()
        .findings(BASE)
        .map((f) => f.messageId),
    ).not.toContain('missingFile');
    expect(host.affectedBy(included)).toEqual([BASE]);
  });

  it('answers hover, lenses, symbols and definitions only with what lies in the file asked about', () => {
    const { host } = hostWithDisk();
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    const analysis = host.snapshot();

    const web = WEB_API_DB.indexOf('web:') + 1;
    const hover = analysis.hover(BASE, web);
    expect(hover?.markdown).toMatch(/^\*\*`web`\*\* — service \(entry point\)/);
    expect(hover?.markdown).toMatch(/Pool availability/);
    expect(hover?.range).toEqual([WEB_API_DB.indexOf('web:'), WEB_API_DB.indexOf('web:') + 3, BASE]);
    // The same offset in the override is its `api` key's neighbourhood, no service of its own: nothing.
    expect(analysis.hover(OVERRIDE, OVERRIDE_TEXT.indexOf('api:') + 1)).toBeUndefined();
    // Compose keys are not described (that is Compose's schema, not Archlint's).
    expect(analysis.hover(BASE, WEB_API_DB.indexOf('image') + 1)).toBeUndefined();

    expect(analysis.codeLenses(BASE).map((l) => [l.entry.component, l.range])).toEqual([
      ['web', [WEB_API_DB.indexOf('web:'), WEB_API_DB.indexOf('web:') + 3, BASE]],
    ]);
    expect(analysis.codeLenses(OVERRIDE)).toEqual([]);
    expect(analysis.symbols(BASE).map((s) => s.name)).toEqual(['web', 'api', 'db']);
    expect(analysis.symbols(OVERRIDE)).toEqual([]);

    // depends_on: [db] in the override goes to db's key in the base.
    const definition = analysis.definition(OVERRIDE, OVERRIDE_TEXT.indexOf('- db') + 3);
    const db = WEB_API_DB.indexOf('  db:') + 2;
    expect(definition).toEqual({ uri: BASE, range: [db, db + 2, BASE] });
    expect(analysis.lines(BASE, OVERRIDE)?.text).toBe(WEB_API_DB);
    expect(analysis.lines(OVERRIDE)?.text).toBe(OVERRIDE_TEXT);

    expect(analysis.completion(BASE, WEB_API_DB.indexOf('image'))).toEqual([]);
    expect(() => analysis.prepareRename(BASE, web)).toThrow(QueryError);
    expect(
      analysis
        .diagram(OVERRIDE)
        ?.nodes.map((n) => n.id)
        .sort(),
    ).toEqual(['api', 'db', 'web']);
    expect(analysis.availability(BASE)?.entries.map((e) => e.component)).toEqual(['web']);
  });

  it('fix-all applies a safe Compose fix of the file asked about (a misspelt depends_on), and only there', () => {
    const { host } = hostWithDisk();
    const misspelt = WEB_API_DB.replace('      - api\n', '      - apii # the api\n');
    host.apply({ uri: BASE, version: 1, text: misspelt });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    const edit = host.snapshot().fixAll(BASE);
    expect(edit?.uri).toBe(BASE);
    expect(misspelt.slice(0, edit!.range[0]) + edit!.text + misspelt.slice(edit!.range[1])).toBe(
      misspelt.replace('- apii # the api', '- api # the api'),
    );
    expect(host.snapshot().fixAll(OVERRIDE)).toBeUndefined();
  });

  it("disables a finding on its own file's line, and fix-all takes no unsafe Compose fix", () => {
    const { host } = hostWithDisk();
    host.apply({ uri: BASE, version: 1, text: WEB_API_DB });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    const analysis = host.snapshot();
    const [db] = analysis.findings(OVERRIDE);
    const actions = analysis.codeActions(OVERRIDE, [db!]);
    expect(actions.map((a) => a.title)).toEqual([
      'Make db redundant (replicas: 2)',
      'Disable single-point-of-failure for this line',
    ]);
    const disable = actions[1]!.edits;
    expect(disable).toEqual([
      {
        uri: OVERRIDE,
        range: [OVERRIDE_TEXT.indexOf('      replicas: 1'), OVERRIDE_TEXT.indexOf('      replicas: 1')],
        text: '      # archlint-disable-next-line single-point-of-failure\n',
      },
    ]);
    expect(actions[0]!.edits.every((e) => e.uri === OVERRIDE)).toBe(true);
    // The comment silences it there.
    const [edit] = disable;
    const silenced = OVERRIDE_TEXT.slice(0, edit!.range[0]) + edit!.text + OVERRIDE_TEXT.slice(edit!.range[1]);
    host.apply({ uri: OVERRIDE, version: 2, text: silenced });
    expect(host.snapshot().findings(OVERRIDE)).toEqual([]);
    expect(
      host
        .snapshot()
        .suppressed(OVERRIDE)
        .map((f) => f.ruleId),
    ).toEqual(['single-point-of-failure']);
    expect(host.snapshot().fixAll(BASE)).toBeUndefined();
    expect(host.snapshot().fixAll(OVERRIDE)).toBeUndefined();
  });

  it('lints a file an editor says is Compose, whatever its name, as a project of one file', () => {
    const { host } = hostWithDisk({ [BASE]: 'services: {}\n' });
    const prod = 'file:///w/docker-compose.prod.yml';
    host.apply({ uri: prod, version: 1, text: WEB_API_DB });
    expect(host.snapshot().lint(prod)).toBeUndefined();
    host.apply({ uri: prod, version: 2, text: WEB_API_DB, kind: 'compose' });
    expect([...host.snapshot().lint(prod)!.files!.keys()]).toEqual([prod]);
    expect(host.snapshot().findings(prod)).toHaveLength(5);
  });

  it('drops a project once none of its files is open', () => {
    const { host } = hostWithDisk({ [BASE]: WEB_API_DB });
    host.apply({ uri: OVERRIDE, version: 1, text: OVERRIDE_TEXT });
    host.snapshot().findings(OVERRIDE);
    host.close(OVERRIDE);
    expect(host.snapshot().lint(OVERRIDE)).toBeUndefined();
    expect(host.affectedBy(BASE)).toEqual([]);
  });
});
