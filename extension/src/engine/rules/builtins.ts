import { MAX_NESTING } from '../parse/nesting';
import { BUILTIN_IDS } from '../types';

/** What the built-in diagnostics (not rules: always errors, cannot be turned off) say about themselves, for docs and SARIF. */
export interface BuiltinMeta {
  id: string;
  summary: string;
  rationale: string;
  example: string;
}

/** The built-in diagnostics, sorted by id. Their pages are generated next to the rules' (`docs/rules/<id>.md`). */
export const builtinDiagnostics: readonly BuiltinMeta[] = [
  {
    id: BUILTIN_IDS.duplicateKey,
    summary: 'a key written twice in the same mapping',
    rationale:
      'YAML tools disagree on which of two equal keys wins, so a duplicate is a silent difference between what you read ' +
      'and what a tool computes. Archlint keeps the first occurrence (as most YAML tools do) and reports every later ' +
      'one, so the rest of the file is still checked.',
    example: [
      'archlint: 1',
      'components:',
      '  web:',
      '    kind: service',
      '    replicas: 2',
      '    replicas: 3   # duplicate-key',
    ].join('\n'),
  },
  {
    id: BUILTIN_IDS.encoding,
    summary: 'a file whose bytes are not UTF-8',
    rationale:
      'Archlint reads architecture files as UTF-8, with or without a byte-order mark. A byte that is not UTF-8 ' +
      '(a Latin-1 `é`, a file saved as UTF-16) cannot be read as text: the CLI reports the first such byte at its ' +
      'line and checks nothing else in the file, and `--fix` never rewrites it (a rewrite would turn every such byte ' +
      'into a replacement character, even in comments). Save the file as UTF-8, for example with ' +
      '`iconv -f latin1 -t utf-8`, and lint it again. Editors decode files themselves, so this diagnostic comes ' +
      'from the CLI.',
    example: [
      'archlint: 1',
      'name: shop',
      '# Café, saved as Latin-1: the é is the one byte 0xE9   # encoding',
      'components: {}',
    ].join('\n'),
  },
  {
    id: BUILTIN_IDS.schema,
    summary: 'a key or value that format version 1 does not allow',
    rationale:
      'The file format is a contract: an unknown key (often a typo such as `replica`), a value of the wrong type, or a ' +
      'value outside its set (`balancing: round_robin`) would otherwise be ignored, and the rules and the availability ' +
      'would be computed from something other than what you meant. The message names the key, what is allowed, and ' +
      'the likely intended key when there is one. An empty file, a file whose top level is not a mapping, and a ' +
      '`rules:` entry or an `archlint-disable` comment naming no rule are reported here too. Keys are text: a key ' +
      'that is null (`~`, `null`, nothing), a mapping or a list is an error at the key and its entry is not read, ' +
      'as is an empty component or zone id; a component or zone id that YAML reads as a number or true/false ' +
      '(`1`, `1.50`, `007`, `true`) is a warning, since it stands for the text YAML makes of it (`1.5`, `7`) and ' +
      'references must quote it.',
    example: [
      'archlint: 1',
      'components:',
      '  web:',
      '    kind: service',
      '    replica: 2   # unknown key "replica": did you mean "replicas"?',
    ].join('\n'),
  },
  {
    id: BUILTIN_IDS.source,
    summary: 'what a Compose file holds that Archlint must read and cannot',
    rationale:
      'A Compose project is read as Compose reads it: `extends`, `include`, profiles, anchors and `${VAR:-default}`. ' +
      'Where the files name something that is not there — an `extends` of a service the file does not define, an ' +
      '`include` of a file that cannot be read, an `extends` chain that comes back to itself — the part that depends ' +
      'on it is left out of the model, and this says so where it is written, so the findings never look more complete ' +
      'than what was read. A variable written `${VAR:?message}` (required) is an info: Archlint reads no environment, ' +
      'so it takes the value as empty. Errors for what Compose itself would refuse, warnings for what is left out, infos ' +
      'for what is only assumed.',
    example: [
      'services:',
      '  api:',
      '    extends: { service: base }   # source: api extends base, which this file does not define',
      '    image: shop/api:1.4',
    ].join('\n'),
  },
  {
    id: BUILTIN_IDS.yamlSyntax,
    summary: 'text that is not YAML',
    rationale:
      'Nothing can be checked in a file that cannot be read, and a broken file must never look clean. Archlint reports ' +
      'the first syntax error at its position and nothing else. It also refuses, with one finding where the trouble ' +
      'starts, files whose aliases expand beyond a sane size (a "billion laughs" file) and files that nest mappings and ' +
      `lists more than ${MAX_NESTING} levels deep (aliases expanded; real architectures use about six), instead of hanging or ` +
      'running out of stack.',
    example: ['archlint: 1', 'components:', '  web:', '    kind: service', '    routes-to: [api   # unclosed ['].join('\n'),
  },
];
