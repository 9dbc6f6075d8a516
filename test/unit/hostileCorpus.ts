// Inputs shared by the hostile*.test.ts property tests: the repository's architecture files and
// fast-check arbitraries over the fuzz script's generators (scripts/fuzz/generators.mjs), each
// drawn from a seed so fast-check's seed reproduces the text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  hostileIdsArchitecture,
  hugeCountsArchitecture,
  mutate,
  oddKeysArchitecture,
  prng,
  structuralArchitecture,
  withLineEndings,
} from '../../scripts/fuzz/generators.mjs';
import { BUILTIN_IDS, type Finding, type FindingWithFixes, type Offsets } from '../../extension/src/engine';

const ROOT = join(__dirname, '..', '..');

/** Every architecture file of the repository: samples, rule fixtures, test fixtures. */
export const corpus: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.arch\.ya?ml$/.test(name)) corpus.push(readFileSync(path, 'utf8'));
  }
};
for (const dir of ['samples', 'test/rules', 'test/fixtures']) walk(join(ROOT, dir));

const lineEnding = fc.constantFrom('lf', 'crlf', 'cr', 'mixed') as fc.Arbitrary<'lf' | 'crlf' | 'cr' | 'mixed'>;

/** A corpus file, maybe edited at random (noise, hostile ids, deleted or duplicated slices), with any line breaks. */
export const editedCorpusFile = fc
  .record({ base: fc.constantFrom(...corpus), seed: fc.nat(), edits: fc.nat({ max: 4 }), eol: lineEnding })
  .map(({ base, seed, edits, eol }) => withLineEndings(edits > 0 ? mutate(prng(seed), base, edits) : base, eol));

/** A file whose component, zone and file names are hostile; `ids` are the ids it declares. */
export const hostileIdsFile = fc.nat().map((seed) => hostileIdsArchitecture(prng(seed)));

/** Any of the hostile texts that are still mostly architectures (so rules fire and fixes are offered). */
export const hostileText = fc.oneof(
  { weight: 4, arbitrary: editedCorpusFile },
  { weight: 2, arbitrary: hostileIdsFile.map((f) => f.text) },
  { weight: 1, arbitrary: fc.nat().map((seed) => structuralArchitecture(prng(seed))) },
  { weight: 1, arbitrary: fc.nat().map((seed) => hugeCountsArchitecture(prng(seed))) },
  { weight: 1, arbitrary: fc.nat().map((seed) => oddKeysArchitecture(prng(seed))) },
);

/** Whether findings say the text is not readable YAML (what a fix must never cause). */
export const isBrokenFile = (findings: readonly Finding[]): boolean =>
  findings.some((f) => f.ruleId === BUILTIN_IDS.yamlSyntax || f.ruleId === BUILTIN_IDS.duplicateKey);

/** Whether an offset falls between the two halves of a surrogate pair. */
const splitsPair = (text: string, offset: number): boolean =>
  /[\ud800-\udbff]/.test(text[offset - 1] ?? '') && /[\udc00-\udfff]/.test(text[offset] ?? '');

/**
 * Problems with a finding's ranges (its own, its related locations', its fixes'): outside the
 * text, backwards, or splitting a character; an edit must not split a CRLF either (it would
 * leave a lone CR). A finding may end between CR and LF: editors show that as the line's end.
 */
export function rangeProblems(text: string, f: FindingWithFixes): string[] {
  const ranges: [string, Offsets, boolean][] = [
    ['range', f.range, false],
    ...(f.related ?? []).map((r, i): [string, Offsets, boolean] => [`related ${i}`, r.range, false]),
    ...(f.fixes ?? []).flatMap((fix) =>
      fix.edits.map((e, i): [string, Offsets, boolean] => [`${fix.title} edit ${i}`, e.range, true]),
    ),
  ];
  const out: string[] = [];
  for (const [what, [s, e], edit] of ranges) {
    const splits = (o: number) => splitsPair(text, o) || (edit && text[o - 1] === '\r' && text[o] === '\n');
    if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s <= e && e <= text.length))
      out.push(`${f.ruleId} ${what}: [${s}, ${e}] of ${text.length}`);
    else if (splits(s) || splits(e)) out.push(`${f.ruleId} ${what}: [${s}, ${e}] splits a character${edit ? ' or a CRLF' : ''}`);
  }
  return out;
}
