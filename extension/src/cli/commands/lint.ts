import {
  AnalysisHost,
  applyFixes,
  applyFixesToFiles,
  lintKubernetes,
  lintCompose,
  BUILTIN_IDS,
  didYouMean,
  LineIndex,
  optionProblems,
  rules,
  rulesById,
  type FindingWithFixes,
  type LintResult,
  type RuleConfig,
  type SeveritySetting,
} from '../../engine';
import { dirname, join, resolve } from 'node:path';
import { ArgumentError, hasFlag, lastValue, parseArgs, type OptionSpec } from '../args';
import { ConfigFinder, configProblemLines, isBad, loadConfig, type LoadedConfig } from '../configFiles';
import {
  ioProblem,
  readSourceFile,
  readStdinSource,
  realPathOf,
  resolveTargets,
  STDIN_NAME,
  stdinName,
  writeFixed,
  writeOutput,
  type SourceFile,
} from '../files';
import { FORMATS, type FileReport } from '../formats';
import { exists, groupFiles, groupUnits, isKnownFile, isManifestFile, manifestsBeside, sourceOf } from '../sources';
import { displayPath } from '../formats/types';
import { EXIT, STDIN_PATH, UsageError, type CliIO } from '../io';
import { ARCHLINT_VERSION } from '../version';

const COMMAND = 'archlint lint';

export const LINT_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', value: true },
  { name: 'output-file', short: 'o', value: true, aliases: ['output'] },
  { name: 'stdin-filename', value: true },
  { name: 'max-warnings', value: true },
  { name: 'rule', value: true },
  { name: 'config', short: 'c', value: true },
  { name: 'compose', value: true },
  { name: 'profile', value: true },
  { name: 'ignore-unknown' },
  { name: 'no-config' },
  { name: 'fix' },
  { name: 'quiet' },
  { name: 'color' },
  { name: 'no-color' },
  { name: 'help', short: 'h' },
];

export const LINT_HELP = `Usage: archlint lint [options] [paths|globs...]
       archlint lint [options] [--stdin-filename <name>] -

Checks architecture files, Docker Compose projects and Kubernetes manifests. With no paths:
every *.arch.yaml and *.arch.yml under the current folder; every compose.yaml / compose.yml /
docker-compose.yaml / docker-compose.yml, each linted with its compose.override.* beside it as
one project; and every YAML or JSON file whose top level has apiVersion and kind (each folder's
manifests one architecture). A folder means the same under it; a file named, or a YAML file a
glob (quote it) matches, is read by its content (a top-level services: map is a compose file,
apiVersion and kind manifests, anything else an architecture file, so its errors show; see
--ignore-unknown). A manifest named is linted with the manifests a search of its folder (not its
subfolders) finds, as one architecture, and findings in any of them are reported, as a compose
file named brings its override. node_modules and .git are never searched.
"-" reads one file from standard input; with --fix, the fixed text goes to standard output and
the report to standard error.

Options:
  -f, --format <name>       stylish (default), json, sarif, github, junit or gitlab
  -o, --output-file <file>  write the report to a file instead of standard output
      --stdin-filename <name>
                            the name reports give standard input (default: <stdin>)
      --max-warnings <n>    exit 1 when there are more than n warnings
      --rule <id=severity>  set a rule's severity for this run: error, warning, info or off
                            (repeatable; "a=off,b=error" sets several); a rule's options
                            follow as JSON after a colon: 'no-headroom=warning:{"spare":2}'
  -c, --config <file>       use this configuration file for every file (default: the nearest
                            archlint.config.yaml or .archlint.yaml above each file, up to the
                            repository root)
      --no-config           use no configuration file
      --compose <file>      a compose project of exactly these files, merged in order, as
                            docker compose -f does (repeatable; -f stays --format)
      --profile <name>      activate a compose profile (repeatable; default: services without one)
      --ignore-unknown      skip, without a word, a file named (or matched by a glob) that a
                            search of its folder would not lint: anything but an *.arch.yaml,
                            a compose file by its standard name, a file the configuration's
                            architectures name, or Kubernetes manifests (YAML or JSON); for
                            hooks that pass every staged YAML and JSON file
      --fix                 apply safe fixes in place, then report what remains
      --quiet               report errors only
      --no-color            no colours (also when NO_COLOR is set or output is not a terminal)
  -h, --help                show this help

Severity and options, lowest precedence first: the rule's default, the configuration file's
rules:, the architecture file's own rules:, --rule (options option by option). The configuration's ignores skip files found in folders
and by globs, never a file named.

Exit codes: 0 no errors (warnings allowed), 1 errors or more than --max-warnings warnings,
2 usage or I/O error, or a configuration file with problems (printed as file:line:col).

Examples:
  archlint lint
  archlint lint samples "services/**/*.arch.yaml" --max-warnings 0
  archlint lint --format sarif -o archlint.sarif
  archlint lint --rule sticky-sessions=off --fix
  archlint lint --rule 'no-headroom=error:{"spare":2}'
  archlint lint compose.yaml --profile debug
  archlint lint --compose compose.yaml --compose compose.prod.yaml
  git show HEAD:shop.arch.yaml | archlint lint --stdin-filename shop.arch.yaml -
  archlint lint --fix --stdin-filename shop.arch.yaml - < shop.arch.yaml > fixed.arch.yaml
`;

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];
const BUILTINS: ReadonlySet<string> = new Set(Object.values(BUILTIN_IDS));

/** `a=off,b=warning:{"x":1,"y":2}` → its items: split at commas outside JSON's braces, brackets and strings. */
export function splitRuleItems(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  items.push(value.slice(start));
  return items.map((s) => s.trim()).filter(Boolean);
}

/** `--rule a=off --rule b=error,c=info --rule 'd=warning:{"spare":2}'` → overrides, checked against the registry. */
export function parseRuleOverrides(values: readonly string[]): Record<string, RuleConfig> {
  const overrides: Record<string, RuleConfig> = {};
  for (const item of values.flatMap(splitRuleItems)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ArgumentError(`--rule expects id=severity, got "${item}"`, COMMAND);
    const id = item.slice(0, eq).trim();
    const setting = item.slice(eq + 1).trim();
    const colon = setting.indexOf(':');
    const severity = (colon === -1 ? setting : setting.slice(0, colon)).trim();
    if (BUILTINS.has(id))
      throw new ArgumentError(`"${id}" is a built-in diagnostic, not a rule: it cannot be turned off or down`, COMMAND);
    if (!rulesById.has(id)) {
      const suggestion = didYouMean(id, rulesById.keys());
      throw new ArgumentError(`unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, COMMAND);
    }
    if (!SEVERITIES.includes(severity as SeveritySetting)) {
      // `warn` (ESLint's spelling) is too short for edit distance to reach `warning`.
      const suggestion =
        SEVERITIES.find((s) => severity !== '' && s.startsWith(severity.toLowerCase())) ?? didYouMean(severity, SEVERITIES);
      throw new ArgumentError(
        `invalid severity "${severity}" for ${id}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: use error, warning, info or off`,
        COMMAND,
      );
    }
    if (colon === -1) {
      overrides[id] = severity as SeveritySetting;
      continue;
    }
    const json = setting.slice(colon + 1).trim();
    let options: unknown;
    try {
      options = JSON.parse(json);
    } catch {
      throw new ArgumentError(`--rule ${id}: the options after ":" must be JSON, like {"name":1}; got ${json}`, COMMAND);
    }
    const problems = optionProblems(id, rulesById.get(id)!.meta.options, options);
    if (problems.length > 0) throw new ArgumentError(`--rule: ${problems.map((p) => p.message).join('; ')}`, COMMAND);
    overrides[id] = [severity as SeveritySetting, options as Record<string, unknown>];
  }
  return overrides;
}

function parseMaxWarnings(value: string | undefined): number {
  if (value === undefined) return Infinity;
  if (!/^\d+$/.test(value)) throw new ArgumentError(`--max-warnings expects a whole number, got "${value}"`, COMMAND);
  return Number(value);
}

/** What one linted text comes to: the text it ends with, its findings and what comments silenced. */
interface Checked {
  /** The text the report describes: the fixed text when `--fix` changed (and could write) it. */
  text: string;
  fixed: boolean;
  findings: FindingWithFixes[];
  suppressed: NonNullable<FileReport['suppressed']>;
  /** Why `--fix`'s result could not be written (the file is then reported as it was). */
  writeError?: unknown;
}

/**
 * Lints one source as a document of the run's host; with `fix`, applies the safe fixes and hands
 * the fixed text to `write` (a file's {@link writeFixed}; nothing for standard input, whose caller
 * prints it). A text that is not UTF-8 is neither linted (its text is a guess) nor fixed (writing it
 * would turn every such byte into U+FFFD): its one finding is the `encoding` error.
 */
function check(host: AnalysisHost, filePath: string, source: SourceFile, fix: boolean, write: (text: string) => void): Checked {
  // Each text's lint: the text a file ends with (after --fix, the last fixed text applyFixes kept)
  // is always one of those, so the report reads its findings, fixes and silenced findings there.
  const linted = new Map<string, LintResult>();
  let version = 0;
  const lintText = (text: string): LintResult => {
    host.apply({ uri: filePath, version: ++version, text, kind: 'architecture' });
    const result = host.snapshot().lint(filePath)!;
    linted.set(text, result);
    return result;
  };
  let text = source.text;
  let fixed = false;
  let writeError: unknown;
  if (source.notUtf8) {
    // Neither linted nor fixed (see above).
  } else if (fix) {
    const result = applyFixes(source.text, lintText, { safeOnly: true });
    if (result.text !== source.text) {
      try {
        write(source.bom + result.text);
        text = result.text;
        fixed = true;
      } catch (error) {
        // The file is as it was: report what it still has (its lint is among those kept).
        writeError = error;
      }
    }
  } else {
    lintText(source.text);
  }
  host.close(filePath);
  const final = linted.get(text);
  const findings: FindingWithFixes[] = final
    ? final.findings.map((f) => ({ ...f, fixes: final.fixes(f) }))
    : source.notUtf8
      ? [source.notUtf8]
      : [];
  const suppressed = final?.suppressed.map((f) => ({ ...f, fixes: final.fixes(f) })) ?? [];
  return { text, fixed, findings, suppressed, ...(writeError !== undefined && { writeError }) };
}

/** What linting a source's files (a compose project, or a set of manifests) needs from the run. */
interface SourceRun {
  /** Which source the files are: a Compose project (the default), or Kubernetes manifests. */
  source?: 'compose' | 'kubernetes';
  overrides: Record<string, RuleConfig>;
  profiles: string[];
  config: LoadedConfig | undefined;
  fix: boolean;
}

/**
 * Lints a source's files as one architecture (a Compose project's files in merge order, or a
 * set of manifests); with `fix`, applies the safe fixes to the files they edit, re-linting between
 * passes. Returns each file's result, the given files first (then every file a finding, a related
 * location or a fix names).
 */
function checkSource(
  files: readonly string[],
  sources: ReadonlyMap<string, SourceFile>,
  run: SourceRun,
): { results: Map<string, Checked>; lines: Map<string, { text: string; lines: LineIndex }> } {
  const readFile = (file: string): string | undefined => {
    const known = texts.get(file);
    if (known !== undefined) return known;
    try {
      const source = readSourceFile(file);
      return source.notUtf8 ? undefined : source.text;
    } catch {
      return undefined;
    }
  };
  const texts = new Map<string, string>();
  for (const f of files) {
    const source = sources.get(f);
    if (source && !source.notUtf8) texts.set(f, source.text);
  }
  const config = run.config?.config;
  const options = {
    config: config?.rules,
    overrides: run.overrides,
    ...(config?.defaults.slo !== undefined && { defaultSlo: config.defaults.slo }),
    sourceDefaults: { availability: config?.defaults.availability, zones: config?.defaults.zones },
  };
  const lintNow = (current: ReadonlyMap<string, string>) => {
    const given = files.filter((f) => current.has(f)).map((file) => ({ file, text: current.get(file)! }));
    return run.source === 'kubernetes'
      ? lintKubernetes({ files: given }, options)
      : lintCompose({ files: given, readFile, profiles: run.profiles }, options);
  };
  // With --fix, the safe fixes of the files given, applied together as `archlint lint --fix` applies a file's.
  const fixedRun = run.fix ? applyFixesToFiles(texts, lintNow, { safeOnly: true }) : undefined;
  const result = fixedRun?.lint ?? lintNow(texts);
  if (fixedRun) for (const [file, text] of fixedRun.texts) texts.set(file, text);
  const fixed = fixedRun?.changed ?? new Set<string>();
  const lines = new Map(result.files ?? []);
  const results = new Map<string, Checked>();
  const names = [...new Set([...files, ...lines.keys()])];
  for (const file of names) {
    const source = sources.get(file);
    const text = texts.get(file) ?? source?.text ?? lines.get(file)?.text ?? '';
    const findings: FindingWithFixes[] = source?.notUtf8
      ? [source.notUtf8]
      : result.findings.filter((f) => f.file === file).map((f) => ({ ...f, fixes: result.fixes(f) }));
    const suppressed = result.suppressed.filter((f) => f.file === file).map((f) => ({ ...f, fixes: result.fixes(f) }));
    results.set(file, { text, fixed: fixed.has(file), findings, suppressed });
  }
  return { results, lines };
}

/**
 * Which configuration file applies to a file: `--no-config` none, `--config FILE` that one for
 * every file (checked now: a missing file is a usage error), else the nearest one above it.
 */
function configLookup(parsed: ReturnType<typeof parseArgs>, cwd: string): (file: string) => LoadedConfig | undefined {
  const given = lastValue(parsed, 'config');
  if (hasFlag(parsed, 'no-config')) {
    if (given !== undefined) throw new ArgumentError('--config and --no-config cannot be used together', COMMAND);
    return () => undefined;
  }
  if (given !== undefined) {
    const path = resolve(cwd, given);
    const loaded = loadConfig(path);
    if (loaded.error === 'no such file or folder') throw new UsageError(`no such configuration file: ${given}`);
    return () => loaded;
  }
  const finder = new ConfigFinder();
  return (file) => finder.forFile(file);
}

/** `archlint lint`: lints files (or standard input), prints the report in the chosen format, returns the exit code. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, LINT_OPTIONS, COMMAND);
  if (hasFlag(parsed, 'help')) {
    io.stdout(LINT_HELP);
    return EXIT.clean;
  }
  const formatName = lastValue(parsed, 'format') ?? 'stylish';
  const formatter = Object.hasOwn(FORMATS, formatName) ? FORMATS[formatName] : undefined;
  if (!formatter) {
    const suggestion = didYouMean(formatName, Object.keys(FORMATS));
    throw new ArgumentError(
      `unknown format "${formatName}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: use ${Object.keys(FORMATS).join(', ')}`,
      COMMAND,
    );
  }
  const maxWarnings = parseMaxWarnings(lastValue(parsed, 'max-warnings'));
  const overrides = parseRuleOverrides(parsed.options.get('rule') ?? []);
  const outputFile = lastValue(parsed, 'output-file');
  const fix = hasFlag(parsed, 'fix');
  const quiet = hasFlag(parsed, 'quiet');
  const stdinFilename = lastValue(parsed, 'stdin-filename');
  const composeFiles = (parsed.options.get('compose') ?? []).map((f) => resolve(io.cwd, f));
  const profiles = (parsed.options.get('profile') ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  stdinName(parsed.positionals, stdinFilename, COMMAND);
  const fromStdin = parsed.positionals.includes(STDIN_PATH);
  if (fromStdin && parsed.positionals.length > 1) {
    throw new ArgumentError('"-" (standard input) is one file: name no other paths with it', COMMAND);
  }
  const ignoreUnknown = hasFlag(parsed, 'ignore-unknown');
  // Said rather than done silently: what standard input holds is not told by a name a search would find.
  if (fromStdin && ignoreUnknown) throw new ArgumentError('--ignore-unknown skips files, not standard input', COMMAND);
  // With `lint - --fix` standard output carries the fixed text, so the report goes to standard error.
  const reportToStderr = fromStdin && fix && outputFile === undefined;
  // The last of --color / --no-color wins; otherwise whatever the terminal supports.
  const colorFlag = args.filter((a) => a === '--color' || a === '--no-color').at(-1);
  const color = outputFile === undefined && (colorFlag ? colorFlag === '--color' : io.color && !reportToStderr);

  const configFor = configLookup(parsed, io.cwd);
  /** The configuration files this run applies (a bad one stops the run before anything is linted). */
  const used = new Set<LoadedConfig>();
  const configOf = (file: string): LoadedConfig | undefined => {
    const loaded = configFor(file);
    if (loaded) used.add(loaded);
    return loaded;
  };
  /** Prints the problems of every bad configuration file in use; whether there were any. */
  const badConfigs = (): boolean => {
    const bad = [...used].filter(isBad).sort((a, b) => a.path.localeCompare(b.path));
    for (const loaded of bad) io.stderr(configProblemLines(loaded, displayPath(io.cwd, loaded.path)));
    if (bad.length > 0)
      io.stderr(`archlint: the configuration file${bad.length > 1 ? 's have' : ' has'} problems: nothing was linted\n`);
    return bad.length > 0;
  };

  // One analysis host for the run: each file is a document of it, each --fix pass a new version.
  const host = new AnalysisHost();
  host.configure({ overrides });
  const reports: FileReport[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const add = (filePath: string, checked: Checked, files?: FileReport['files']) => {
    errorCount += checked.findings.filter((f) => f.severity === 'error').length;
    // --max-warnings counts warnings even under --quiet, which only shortens the report.
    warningCount += checked.findings.filter((f) => f.severity === 'warning').length;
    reports.push({
      filePath,
      text: checked.text,
      lines: new LineIndex(checked.text),
      findings: quiet ? checked.findings.filter((f) => f.severity === 'error') : checked.findings,
      suppressed: checked.suppressed,
      ...(checked.fixed && { fixed: true }),
      ...(files && { files }),
    });
  };
  /** Every file a compose project (or a set of manifests) read: a file another project includes is linted there, not again on its own. */
  const linted = new Set<string>();
  /** Lints one compose project (or a set of manifests) and adds a report for each of its files. */
  const addSource = (files: readonly string[], source: 'compose' | 'kubernetes' = 'compose') => {
    const sources = new Map<string, SourceFile>();
    for (const file of files) {
      try {
        sources.set(file, readSourceFile(file));
      } catch (error) {
        ioErrors.push(`cannot read ${displayPath(io.cwd, file)}: ${ioProblem(error)}`);
      }
    }
    const readable = files.filter((f) => sources.has(f));
    if (readable.length === 0) return;
    const { results, lines } = checkSource(readable, sources, {
      source,
      overrides,
      profiles,
      config: configOf(readable[0]!),
      fix,
    });
    for (const file of lines.keys()) linted.add(file);
    for (const [file, checked] of results) {
      if (checked.fixed) {
        try {
          writeFixed(file, (sources.get(file)?.bom ?? '') + checked.text, sources.get(file)?.bytes ?? new Uint8Array());
        } catch (error) {
          ioErrors.push(`cannot write ${displayPath(io.cwd, file)}: ${ioProblem(error)}; its fixes were not applied`);
          continue;
        }
      }
      add(file, checked, lines);
    }
  };
  // A file that cannot be read or written does not stop the run: every other file is still
  // reported (and --fix has already written some), then these, and the exit code is 2.
  const ioErrors: string[] = [];
  if (fromStdin) {
    const source = await readStdinSource(io);
    // A name given is a path like any other (relative to the working folder); without one, `<stdin>`.
    const filePath = stdinFilename === undefined ? STDIN_NAME : resolve(io.cwd, stdinFilename);
    // Standard input takes the configuration of the file it is named as, else the working folder's.
    const config = configOf(stdinFilename === undefined ? resolve(io.cwd, STDIN_NAME) : filePath);
    if (badConfigs()) return EXIT.usage;
    host.configure({ config: config?.config }, filePath);
    let out: Uint8Array = source.bytes;
    // Standard input named like a compose file or holding one is a project of one file; holding
    // Kubernetes objects (`helm template … | archlint lint -`), a set of manifests.
    const kind = sourceOf(filePath, source.text);
    if (kind !== 'architecture' && !source.notUtf8) {
      const { results, lines } = checkSource([filePath], new Map([[filePath, source]]), {
        source: kind,
        overrides,
        profiles,
        config,
        fix,
      });
      const checked = results.get(filePath)!;
      if (checked.fixed) out = Buffer.from(source.bom + checked.text, 'utf8');
      add(filePath, checked, lines);
    } else {
      const checked = check(host, filePath, source, fix, (text) => {
        out = Buffer.from(text, 'utf8');
      });
      add(filePath, checked);
    }
    // Always the whole text, fixed or not (or not UTF-8, and then byte for byte as it came), so a
    // pipe can replace the file with it.
    if (fix) (io.stdoutBytes ?? ((bytes) => io.stdout(Buffer.from(bytes).toString('utf8'))))(out);
  } else {
    let files: string[];
    try {
      // `--compose` alone names the files to lint: no search of the current folder.
      files =
        composeFiles.length > 0 && parsed.positionals.length === 0
          ? []
          : await resolveTargets(
              parsed.positionals,
              io.cwd,
              (message) => io.stderr(`archlint: warning: ${message}\n`),
              (file) => configOf(file)?.ignores(file) ?? false,
              (folder) => configOf(join(folder, 'compose.yaml'))?.config?.sources.compose !== false,
              {
                enabled: (folder) => configOf(join(folder, 'compose.yaml'))?.config?.sources.kubernetes !== false,
                isManifest: (file) => isManifestFile(file),
              },
            );
    } catch (error) {
      // A configuration with problems ignores nothing: that, not "every file is ignored", is what to say.
      if (badConfigs()) return EXIT.usage;
      throw error;
    }
    for (const file of [...files, ...composeFiles]) configOf(file);
    if (badConfigs()) return EXIT.usage;
    for (const file of composeFiles) if (!exists(file)) throw new UsageError(`no such file: ${displayPath(io.cwd, file)}`);
    if (composeFiles.length > 0) addSource(composeFiles);
    // The configuration's `architectures`: compose files that form one project, in the order its
    // globs give; manifests that form one architecture, wherever they are.
    const claimed = new Set<string>();
    /** Every file a group names, linted in this run or not: it joins no folder's manifests. */
    const grouped = new Set<string>();
    for (const loaded of [...new Set([...files, join(io.cwd, 'compose.yaml')].map((f) => configOf(f)))]) {
      for (const group of loaded?.config?.architectures ?? []) {
        for (const source of ['compose', 'kubernetes'] as const) {
          if (group[source].length === 0) continue;
          const members = groupFiles(dirname(loaded!.path), group[source], (await import('tinyglobby')).globSync);
          for (const m of members) grouped.add(m);
          if (members.length === 0 || (parsed.positionals.length > 0 && !members.some((m) => files.includes(m)))) continue;
          for (const m of members) claimed.add(m);
          addSource(members, source);
        }
      }
    }
    // With --ignore-unknown a file named that a folder search would not have found is left out, as
    // there: a hook that passes every staged YAML file lints the architectures among them.
    const known = (file: string): boolean => {
      const sources = configOf(file)?.config?.sources;
      return isKnownFile(file, { compose: sources?.compose !== false, kubernetes: sources?.kubernetes !== false });
    };
    // A folder's manifests are one architecture: a manifest named (or matched by a glob) brings the
    // others a search of its folder finds, under that folder's configuration (its sources and
    // ignores; a file a group names stays in its group), as a base compose file brings its
    // override. A file of the run is where the run put it; a folder searched has them all already.
    const inRun = new Set(files.map(realPathOf));
    const beside = (folder: string): string[] =>
      manifestsBeside(folder, configOf(join(folder, 'compose.yaml')), (f) => grouped.has(f) || inRun.has(realPathOf(f)));
    const units = groupUnits(
      files.filter((f) => !claimed.has(f) && (!ignoreUnknown || known(f))),
      (file) => {
        try {
          return readSourceFile(file).text;
        } catch {
          return undefined;
        }
      },
      beside,
    );
    for (const unit of units) {
      if (unit.kind === 'compose') {
        // A project whose main file another project includes (or extends from) was linted there, with that project's services.
        if (linted.has(unit.files[0]!)) continue;
        addSource(unit.files.filter((f) => !composeFiles.includes(f)));
        continue;
      }
      if (unit.kind === 'kubernetes') {
        addSource(unit.files, 'kubernetes');
        continue;
      }
      const filePath = unit.file;
      const shown = displayPath(io.cwd, filePath);
      let source: SourceFile;
      try {
        source = readSourceFile(filePath);
      } catch (error) {
        ioErrors.push(`cannot read ${shown}: ${ioProblem(error)}`);
        continue;
      }
      host.configure({ config: configOf(filePath)?.config }, filePath);
      const checked = check(host, filePath, source, fix, (text) => writeFixed(filePath, text, source.bytes));
      if (checked.writeError !== undefined) {
        ioErrors.push(`cannot write ${shown}: ${ioProblem(checked.writeError)}; its fixes were not applied`);
      }
      add(filePath, checked);
    }
  }

  const output = formatter(reports, { cwd: io.cwd, color, version: ARCHLINT_VERSION, rules });
  try {
    if (outputFile !== undefined) await writeOutput(io.cwd, outputFile, output);
    else if (output !== '') (reportToStderr ? io.stderr : io.stdout)(output);
  } finally {
    // After the report, so a terminal shows them last.
    for (const message of ioErrors) io.stderr(`archlint: ${message}\n`);
  }
  if (ioErrors.length > 0) return EXIT.usage;
  if (errorCount > 0) return EXIT.findings;
  if (warningCount > maxWarnings) {
    io.stderr(`archlint: too many warnings (${warningCount}); the maximum is ${maxWarnings} (--max-warnings)\n`);
    return EXIT.findings;
  }
  return EXIT.clean;
}
