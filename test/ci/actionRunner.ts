/**
 * Runs action.yml's steps the way a GitHub runner runs a composite action, without GitHub: the
 * `run:` steps in bash with the environment GitHub sets (GITHUB_WORKSPACE, GITHUB_ACTION_PATH,
 * GITHUB_OUTPUT, RUNNER_TEMP, …), `${{ }}` expressions evaluated in `env`, `with`,
 * `working-directory` and `if` (the subset action.yml uses; anything else throws), step outputs
 * read back from GITHUB_OUTPUT, and a step after a failure run only when its `if` asks for it.
 * `uses:` steps (setup-node, cache, upload-sarif) are handed to the caller, who stands in for them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface ActionMetadata {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepRun {
  step: ActionStep;
  /** Not run: its `if` was false, or an earlier step failed and it did not ask to run anyway. */
  skipped: boolean;
  /** The exit status of a `run:` step (0 for a `uses:` step the caller stood in for). */
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface ActionRun {
  steps: StepRun[];
  /** Whether the action failed (some step that ran failed). */
  failed: boolean;
  /** The action's outputs, from its `outputs:` expressions. */
  outputs: Record<string, string>;
}

/** What the caller says a `uses:` step did: its outputs. */
export type UsesHandler = (step: ActionStep, inputs: Record<string, string>) => Record<string, string> | void;

export function readAction(path: string): ActionMetadata {
  return parse(readFileSync(path, 'utf8')) as ActionMetadata;
}

interface Context {
  inputs: Record<string, string>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  failed: boolean;
}

/** Evaluates the expression subset action.yml uses: literals, context paths, !, ==, !=, &&, ||, and the status functions. */
export function evaluate(expression: string, ctx: Context): string | boolean {
  const tokens =
    expression.match(/'(?:[^']|'')*'|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*(?:\(\))?|==|!=|&&|\|\||!|\(|\)|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const truthy = (v: string | boolean) => v !== '' && v !== false && v !== 'false' && v !== '0';
  const equal = (a: string | boolean, b: string | boolean) => String(a).toLowerCase() === String(b).toLowerCase();
  const primary = (): string | boolean => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of expression: ${expression}`);
    if (t === '!') return !truthy(primary());
    if (t === '(') {
      const v = or();
      if (next() !== ')') throw new Error(`missing ) in ${expression}`);
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'always()') return true;
    if (t === 'cancelled()') return false;
    if (t === 'success()') return !ctx.failed;
    if (t === 'failure()') return ctx.failed;
    const [head, ...rest] = t.split('.');
    let value: unknown = (ctx as unknown as Record<string, unknown>)[head!];
    if (value === undefined || typeof value !== 'object') throw new Error(`unknown context "${head}" in ${expression}`);
    for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'string' ? value : '';
  };
  const comparison = (): string | boolean => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = primary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): string | boolean => {
    let left = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): string | boolean => {
    let left = and();
    while (peek() === '||') {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`cannot evaluate ${expression}`);
  return value;
}

/** Replaces each `${{ expr }}` in a string with its value. */
function interpolate(text: string, ctx: Context): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => String(evaluate(expr.trim(), ctx)));
}

/** Reads GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/**
 * Runs the action at `actionPath` (its action.yml) in `workspace` with `inputs` (the rest take
 * their defaults). `env` is the runner's environment (PATH must find node and npm).
 */
export function runAction(options: {
  actionPath: string;
  workspace: string;
  inputs?: Record<string, string>;
  uses: UsesHandler;
  env?: NodeJS.ProcessEnv;
}): ActionRun {
  const action = readAction(join(options.actionPath, 'action.yml'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'archlint-runner-'));
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = options.inputs?.[name] ?? spec.default ?? '';
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input "${name}"`);
  }
  const ctx: Context = {
    inputs,
    github: { action_path: options.actionPath, workspace: options.workspace },
    runner: { os: 'Linux', temp: runnerTemp },
    steps: {},
    failed: false,
  };
  const runs: StepRun[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    // GitHub's default is success(): a step after a failure runs only if its `if` names a status function.
    const condition = step.if === undefined ? 'success()' : step.if.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
    const asksForStatus = /\b(always|cancelled|failure|success)\(\)/.test(condition);
    const value = asksForStatus || !ctx.failed ? evaluate(asksForStatus ? condition : `success() && (${condition})`, ctx) : false;
    const willRun = value !== '' && value !== false;
    const record = (run: Omit<StepRun, 'step'>) => {
      runs.push({ step, ...run });
      if (step.id)
        ctx.steps[step.id] = {
          outputs: run.outputs,
          outcome: run.skipped ? 'skipped' : run.status === 0 ? 'success' : 'failure',
        };
      if (!run.skipped && run.status !== 0) ctx.failed = true;
    };
    if (!willRun) {
      record({ skipped: true, status: 0, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    if (step.uses) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      record({ skipped: false, status: 0, stdout: '', stderr: '', outputs: options.uses(step, withValues) ?? {} });
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`step ${step.name ?? index} has shell ${step.shell}: the runner here speaks bash`);
    const stepDir = join(runnerTemp, `step-${index}`);
    mkdirSync(stepDir);
    const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_PATH: 'path', GITHUB_STEP_SUMMARY: 'summary' };
    for (const name of Object.values(files)) writeFileSync(join(stepDir, name), '');
    const script = join(stepDir, 'script.sh');
    writeFileSync(script, step.run!);
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_ACTION_PATH: options.actionPath,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: runnerTemp,
      ...Object.fromEntries(Object.entries(files).map(([name, file]) => [name, join(stepDir, file)])),
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
    };
    const cwd = step['working-directory'] ? interpolate(step['working-directory'], ctx) : options.workspace;
    // How GitHub runs `shell: bash`.
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8' });
    if (result.error) throw result.error;
    record({
      skipped: false,
      status: result.status ?? 1,
      stdout: result.stdout,
      stderr: result.stderr,
      outputs: readOutputs(join(stepDir, 'output')),
    });
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, interpolate(spec.value, ctx)]));
  return { steps: runs, failed: ctx.failed, outputs };
}
