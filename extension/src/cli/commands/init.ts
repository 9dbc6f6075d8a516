/**
 * `archlint init`: writes a commented starter configuration file (`archlint.config.yaml`) in the
 * current folder. When the folder holds Compose files or Kubernetes manifests, the commented
 * `architectures` example names them.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_FILE_NAMES, isArchPath, isConfigPath } from '../../engine';
import { hasFlag, parseArgs, type OptionSpec } from '../args';
import { ioProblem } from '../files';
import { EXIT, UsageError, type CliIO } from '../io';
import { terminalText } from '../terminal';

const COMMAND = 'archlint init';

const INIT_OPTIONS: readonly OptionSpec[] = [{ name: 'force' }, { name: 'help', short: 'h' }];

export const INIT_HELP = `Usage: archlint init [--force]

Writes a commented starter configuration file, archlint.config.yaml, in the current folder:
rule severities, ignores, defaults, sources and architectures, each explained. When the
folder holds Compose files or Kubernetes manifests, the architectures example names them.

Options:
      --force               replace an existing archlint.config.yaml; beside an .archlint.yaml,
                            write one anyway (it then takes precedence over .archlint.yaml)
  -h, --help                show this help

Exit codes: 0 written, 2 a configuration file is already there (without --force), or it
cannot be written.
`;

/** The file `init` writes. */
const CONFIG_NAME = CONFIG_FILE_NAMES[0];

/** Compose's file names (the Compose specification's, and the older `docker-compose` ones, with overrides). */
const COMPOSE_FILE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i;
const YAML_FILE = /\.ya?ml$/i;
/** A Kubernetes manifest: a YAML document whose top level has both `apiVersion:` and `kind:`. */
const API_VERSION = /^apiVersion:/m;
const KIND = /^kind:/m;
/** How deep, how many entries and how large a file the search for sources looks at: a starter file, not an inventory. */
const SEARCH_DEPTH = 4;
const SEARCH_ENTRIES = 5000;
const MANIFEST_BYTES = 1024 * 1024;
/** Most paths of each kind named in the example. */
const NAMED = 8;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** The Compose files and Kubernetes manifests under `root` (relative paths, sorted). */
export function findSources(root: string): { compose: string[]; kubernetes: string[] } {
  const compose: string[] = [];
  const kubernetes: string[] = [];
  let budget = SEARCH_ENTRIES;
  const visit = (folder: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (--budget < 0) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < SEARCH_DEPTH && !SKIPPED_FOLDERS.has(entry.name)) visit(path, depth + 1);
        continue;
      }
      if (!entry.isFile() || !YAML_FILE.test(entry.name) || isArchPath(entry.name) || isConfigPath(entry.name)) continue;
      const shown = relative(root, path).split('\\').join('/');
      if (COMPOSE_FILE.test(entry.name)) compose.push(shown);
      else if (isManifest(path)) kubernetes.push(shown);
    }
  };
  visit(root, 0);
  return { compose, kubernetes };
}

function isManifest(path: string): boolean {
  try {
    if (statSync(path).size > MANIFEST_BYTES) return false;
    const text = readFileSync(path, 'utf8');
    return API_VERSION.test(text) && KIND.test(text);
  } catch {
    return false;
  }
}

/** A YAML flow list of paths, each quoted (paths may hold `*`, `:` or `#`). */
const flowList = (paths: readonly string[]): string => `[${paths.map((p) => JSON.stringify(p)).join(', ')}]`;

/** The starter configuration's text (every line but `rules` and `ignores` commented out). */
export function starterConfig(sources: { compose: readonly string[]; kubernetes: readonly string[] }): string {
  const found = sources.compose.length > 0 || sources.kubernetes.length > 0;
  const example = found
    ? [
        '# This folder holds Compose files or Kubernetes manifests; to lint some of them as one architecture:',
        '# architectures:',
        '#   - name: main',
        ...(sources.compose.length > 0 ? [`#     compose: ${flowList(sources.compose.slice(0, NAMED))}`] : []),
        ...(sources.kubernetes.length > 0 ? [`#     kubernetes: ${flowList(sources.kubernetes.slice(0, NAMED))}`] : []),
      ]
    : ['# architectures:', '#   - name: shop', '#     compose: [compose.yaml]', '#     kubernetes: ["deploy/k8s/**/*.yaml"]'];
  return `${[
    '# Archlint configuration. The nearest archlint.config.yaml (or .archlint.yaml) above a file',
    '# applies to it, up to the repository root; configurations are not merged.',
    '# Every key: https://github.com/archlint/archlint#configuration',
    '# (schema: schemas/archlint-config.schema.json)',
    '',
    '# Rule severities: error, warning, info or off, or [severity, { options }] for a rule that',
    '# takes options (its page lists them). Above the editor setting archlint.rules; an',
    "# architecture file's own rules: and the CLI's --rule win over these.",
    '# rules:',
    '#   sticky-sessions: warning',
    '#   plaintext-ingress: off',
    '#   no-headroom: [warning, { spare: 2 }]',
    '',
    '# Files a folder search skips, relative to this folder. A pattern ending in / is a folder;',
    '# "!" takes a file back; the last matching pattern decides. A file named on the command',
    '# line is always linted.',
    '# ignores:',
    '#   - test/fixtures/',
    '#   - "!test/fixtures/keep.arch.yaml"',
    '',
    '# Values for what files do not state. slo: for architecture files that set none.',
    '# availability and zones: for Compose files and Kubernetes manifests, whose files cannot state them.',
    '# defaults:',
    '#   slo: 99.9%',
    '#   availability: 99.5%',
    '#   zones: { eu-1a: {}, eu-1b: {} }',
    '',
    '# Which inputs besides *.arch.yaml to read (default: both).',
    '# sources:',
    '#   compose: true',
    '#   kubernetes: true',
    '',
    "# Named groups of source files that form one architecture, over the default grouping (a folder's manifests).",
    ...example,
  ].join('\n')}\n`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, INIT_OPTIONS, COMMAND);
  if (hasFlag(parsed, 'help')) {
    io.stdout(INIT_HELP);
    return EXIT.clean;
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(
      `archlint init takes no paths (it writes ${CONFIG_NAME} in the current folder); see "${COMMAND} --help"`,
    );
  }
  const force = hasFlag(parsed, 'force');
  const existing = CONFIG_FILE_NAMES.filter((name) => {
    try {
      statSync(join(io.cwd, name));
      return true;
    } catch {
      return false;
    }
  });
  if (existing.length > 0 && !force) {
    // An .archlint.yaml would be shadowed by the new file: that takes --force too.
    throw new UsageError(
      existing.includes(CONFIG_NAME)
        ? `${existing.join(' and ')} already exists here: not overwritten (--force replaces it)`
        : `${existing.join(' and ')} already exists here: nothing written (--force writes ${CONFIG_NAME} beside it, which then takes precedence over it)`,
    );
  }
  const sources = findSources(io.cwd);
  const target = join(io.cwd, CONFIG_NAME);
  try {
    writeFileSync(target, starterConfig(sources), { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${CONFIG_NAME} already exists here: not overwritten (--force replaces it)`);
    throw new UsageError(`cannot write ${CONFIG_NAME}: ${ioProblem(error)}`);
  }
  const named = [...sources.compose, ...sources.kubernetes];
  io.stdout(
    `wrote ${CONFIG_NAME}${
      named.length > 0
        ? ` (its architectures example names ${sources.compose.length} Compose file${sources.compose.length === 1 ? '' : 's'} and ${sources.kubernetes.length} Kubernetes manifest${sources.kubernetes.length === 1 ? '' : 's'} found here)`
        : ''
    }\n`,
  );
  for (const name of existing.filter((n) => n !== CONFIG_NAME)) {
    io.stderr(`archlint: note: ${terminalText(name)} is still here; ${CONFIG_NAME} takes precedence over it\n`);
  }
  return EXIT.clean;
}
