// The fuzz script's inputs: each case is one file made by one generator from its own seed.
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateArchitecture } from '../../bench/generate.mjs';
import {
  aliasBomb,
  chainArchitecture,
  chooser,
  deepNesting,
  hostileIdsArchitecture,
  hugeCountsArchitecture,
  junctionsArchitecture,
  mutate,
  ODD_ROOTS,
  oddKeysArchitecture,
  prng,
  randomBytes,
  randomText,
  structuralArchitecture,
  withInvalidUtf8,
  withLineEndings,
} from './generators.mjs';
import { ROOT } from './run.mjs';

/** Every architecture file of the repository: the samples, the rule fixtures, the test fixtures. */
export function loadCorpus() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.arch\.ya?ml$/.test(name)) files.push({ name: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  for (const dir of ['samples', 'test/rules', 'test/fixtures']) walk(join(ROOT, dir));
  // In name order, so a seed picks the same files on every machine.
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The generators, with their weights: how often each is picked. Each returns the text (or bytes)
 * and a note saying what it made; `ids` when it knows the ids the file declares.
 */
export function generators(corpus) {
  const base = (c) => c.pick(corpus);
  return {
    'corpus-mutation': {
      weight: 18,
      make: (c) => {
        const file = base(c);
        return { text: mutate(c.rand, file.text), note: `random edits of ${file.name}` };
      },
    },
    'hostile-ids': {
      weight: 16,
      make: (c) => ({ ...hostileIdsArchitecture(c.rand), note: 'hostile component, zone and file names' }),
    },
    'odd-keys': {
      weight: 4,
      make: (c) => ({ text: oddKeysArchitecture(c.rand), note: 'numeric, boolean, null and complex keys' }),
    },
    structural: { weight: 8, make: (c) => ({ text: structuralArchitecture(c.rand), note: 'random keys and values' }) },
    'random-text': { weight: 6, make: (c) => ({ text: randomText(c.rand), note: 'random text' }) },
    binary: { weight: 3, make: (c) => ({ bytes: randomBytes(c.rand), note: 'random bytes' }) },
    'odd-root': { weight: 3, make: (c) => ({ text: c.pick(ODD_ROOTS), note: 'empty file, or a root that is not a mapping' }) },
    'non-utf8': {
      weight: 6,
      make: (c) => {
        const file = base(c);
        return { bytes: withInvalidUtf8(c.rand, file.text), note: `invalid UTF-8 in ${file.name}` };
      },
    },
    'line-endings': {
      weight: 8,
      make: (c) => {
        const file = base(c);
        const style = c.pick(['crlf', 'cr', 'mixed', 'crlf']);
        const bom = c.chance(0.4) ? '\ufeff' : '';
        const text = withLineEndings(c.chance(0.5) ? mutate(c.rand, file.text, 1) : file.text, style);
        return { text: bom + text, note: `${style}${bom ? ' + BOM' : ''} line endings of ${file.name}` };
      },
    },
    'huge-counts': {
      weight: 5,
      make: (c) => ({ text: hugeCountsArchitecture(c.rand), note: 'huge, tiny, negative and not-a-number values' }),
    },
    chain: {
      weight: 3,
      make: (c) => {
        const n = c.weighted([
          [4, c.int(20, 400)],
          [2, c.int(400, 1500)],
          [2, c.int(1500, 2500)],
          [1, c.int(2500, 4000)],
        ]);
        const style = c.pick(['depends-on', 'depends-on', 'routes-to', 'optional', 'any-of']);
        return { text: chainArchitecture(n, style), note: `a ${style} chain of ${n} components` };
      },
    },
    junctions: {
      weight: 3,
      make: (c) => {
        // Half small, half past the size where the layout once took a minute (20 × 20).
        const size = () => (c.chance(0.5) ? c.int(3, 12) : c.int(14, 30));
        const entries = size();
        const groups = size();
        return { text: junctionsArchitecture(entries, groups), note: `${entries} entry points × ${groups} any-of junctions` };
      },
    },
    'deep-nesting': {
      weight: 3,
      make: (c) => {
        const depth = c.pick([50, 200, 500, 900, 1200, 3000, 10000]);
        const form = c.pick(['flow-seq', 'flow-map', 'block-map', 'block-seq']);
        const where = c.pick(['root', 'component', 'depends-on']);
        return { text: deepNesting(depth, form, where), note: `${form} nested ${depth} deep at ${where}` };
      },
    },
    'alias-bomb': {
      weight: 3,
      make: (c) => {
        const levels = c.int(1, 10);
        const width = c.int(2, 10);
        return { text: aliasBomb(levels, width, c.pick(['component', 'root'])), note: `alias bomb, ${levels} levels × ${width}` };
      },
    },
    generated: {
      weight: 4,
      make: (c) => {
        const n = c.int(3, 400);
        const text = generateArchitecture(n, { seed: c.int(1, 1e6) });
        return c.chance(0.5)
          ? { text: mutate(c.rand, text), note: `edits of a generated ${n}-component file` }
          : { text, note: `generated, ${n} components` };
      },
    },
  };
}

/** A case's own seed, from the run's seed and the case number. */
export const caseSeed = (seed, index) => (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;

/**
 * Case `index` of a run: picks a generator by weight (or from `only`), makes the file, then
 * sometimes rewrites its line breaks, adds a byte-order mark or splices in invalid UTF-8.
 */
export function makeCase(gens, seed, index, only) {
  const c = chooser(prng(caseSeed(seed, index)));
  const names = only ?? Object.keys(gens);
  const generator = c.weighted(names.map((n) => [gens[n].weight, n]));
  const made = gens[generator].make(c);
  let bytes = made.bytes ?? Buffer.from(made.text, 'utf8');
  let note = made.note;
  if (made.text !== undefined && !['line-endings', 'non-utf8'].includes(generator)) {
    if (c.chance(0.1)) {
      const style = c.pick(['crlf', 'cr', 'mixed']);
      bytes = Buffer.from(withLineEndings(bytes.toString('utf8'), style), 'utf8');
      note += `, ${style} line endings`;
    }
    if (c.chance(0.05)) {
      bytes = Buffer.concat([Buffer.from('\ufeff'), bytes]);
      note += ', with a BOM';
    }
    if (c.chance(0.04)) {
      bytes = withInvalidUtf8(c.rand, bytes.toString('utf8'));
      note += ', with invalid UTF-8';
    }
  }
  return { index, generator, note, bytes, ids: made.ids, extra: chooser(prng(caseSeed(seed, index) ^ 0xabcdef)) };
}
