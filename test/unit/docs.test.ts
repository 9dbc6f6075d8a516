import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../extension/src/engine';
import { builtinDiagnostics } from '../../extension/src/engine/rules/builtins';
import { ruleDocsUrl } from '../../extension/src/engine/rules/docsUrl';
import { generateDocs, readmeWithTable, ruleExamples, RULES_END, RULES_START } from '../../scripts/docs';

const ROOT = join(__dirname, '..', '..');

describe('generated docs', () => {
  const files = generateDocs(ROOT);

  it('are up to date (run npm run docs)', () => {
    const stale = [...files].filter(([path, content]) => {
      const full = join(ROOT, path);
      return !existsSync(full) || readFileSync(full, 'utf8') !== content;
    });
    expect(
      stale.map(([path]) => path),
      'these files differ from their metadata: run npm run docs',
    ).toEqual([]);
  });

  it('leave no page of a rule that no longer exists', () => {
    const pages = readdirSync(join(ROOT, 'docs/rules')).filter((f) => f.endsWith('.md'));
    const orphans = pages.filter((f) => !files.has(`docs/rules/${f}`));
    expect(orphans, 'delete these pages (no rule has that id)').toEqual([]);
  });

  it('cover every rule and built-in diagnostic, with the parts a page needs', () => {
    for (const { meta } of rules) {
      const page = files.get(`docs/rules/${meta.id}.md`)!;
      expect(page).toContain(`# \`${meta.id}\``);
      expect(page).toContain(meta.rationale);
      const examples = ruleExamples(ROOT, meta.id);
      expect(page).toContain(`Flagged:\n\n\`\`\`yaml\n${examples.bad}\n\`\`\``);
      expect(page).toContain(`Not flagged:\n\n\`\`\`yaml\n${examples.good}\n\`\`\``);
      expect(examples.bad, 'the page shows no # expect: marker').not.toMatch(/#\s*expect:/);
      expect(page).toContain(`archlint-disable-next-line ${meta.id}`);
      expect(page).toContain(`--rule ${meta.id}=off`);
      expect(page).toContain('## How to fix');
    }
    for (const b of builtinDiagnostics) expect(files.get(`docs/rules/${b.id}.md`)).toContain(b.rationale);
  });

  it('put one README table row per rule between the markers, and touch nothing else', () => {
    const readme = files.get('README.md')!;
    const table = readme.slice(readme.indexOf(RULES_START), readme.indexOf(RULES_END));
    for (const { meta } of rules) expect(table).toContain(`[\`${meta.id}\`](docs/rules/${meta.id}.md)`);
    const around = 'Intro text.\r\n\r\n<!-- rules:start -->\r\nold table\r\n<!-- rules:end -->\r\n\r\nMore text.\r\n';
    const replaced = readmeWithTable(around);
    expect(replaced.startsWith('Intro text.\r\n\r\n<!-- rules:start -->\r\n| Rule |')).toBe(true);
    expect(replaced.endsWith('<!-- rules:end -->\r\n\r\nMore text.\r\n')).toBe(true);
    expect(replaced).not.toContain('old table');
    expect(() => readmeWithTable('# no markers\n')).toThrow(/rules:start/);
  });

  it('link where ruleDocsUrl points', () => {
    for (const id of [...rules.map((r) => r.meta.id), ...builtinDiagnostics.map((b) => b.id)]) {
      expect(ruleDocsUrl(id).endsWith(`/docs/rules/${id}.md`)).toBe(true);
      expect(files.has(`docs/rules/${id}.md`)).toBe(true);
    }
  });
});
