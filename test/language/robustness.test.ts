import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import schemaJson from '../../schemas/architecture.schema.json';
import { lint, rules } from '../../extension/src/engine';
import { statusBarText, entryLensTitle } from '../../extension/src/engine/language/availabilityView';
import { completionItems } from '../../extension/src/engine/language/completion';
import { componentHover } from '../../extension/src/engine/language/hover';
import { SchemaNavigator, type JsonSchema } from '../../extension/src/engine/language/schemaNavigator';
import { pathAt, symbolAt } from '../../extension/src/engine/language/symbols';
import { cursorContext } from '../../extension/src/engine/language/yamlContext';

const schema = new SchemaNavigator(schemaJson as unknown as JsonSchema);
const samplesDir = join(__dirname, '../../samples');
const samples = readdirSync(samplesDir).filter((f) => /\.arch\.ya?ml$/.test(f));

describe('editor features never throw', () => {
  it('on random text at any offset (completion runs on half-typed YAML)', () => {
    const yamlish = fc.stringMatching(/^[a-z:\-[\]{},#"' \n]*$/);
    fc.assert(
      fc.property(yamlish, fc.nat(), (text, n) => {
        const offset = text.length === 0 ? 0 : n % (text.length + 1);
        const ctx = cursorContext(text, offset);
        if (ctx) {
          expect(ctx.range[0]).toBeLessThanOrEqual(offset);
          expect(ctx.range[1]).toBeGreaterThanOrEqual(offset);
          completionItems(ctx, lint(text).model, schema, rules);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(samples)('%s: every position gives a sane completion, hover and symbol', (file) => {
    const text = readFileSync(join(samplesDir, file), 'utf8');
    const result = lint(text);
    expect(result.model).toBeDefined();
    for (let offset = 0; offset <= text.length; offset += 3) {
      const ctx = cursorContext(text, offset);
      if (ctx) completionItems(ctx, result.model, schema, rules);
      const symbol = symbolAt(result.model!, offset);
      if (symbol?.type === 'component') expect(componentHover(result, symbol.id)).toContain(symbol.id);
      pathAt(result.doc!, offset);
    }
    const report = result.availability!;
    for (const e of report.entries) expect(entryLensTitle(e)).toMatch(/% available · .* down\/year/);
    expect(statusBarText(result.findings, report).text).toMatch(/Archlint/);
  });
});
