// File-system traps for the fuzz script: files the user may not write, symbolic and hard links,
// several files with one unwritable, linked and unreadable folders, special files, hostile file
// names, an output folder that does not exist. Each scenario sets up a folder, runs the CLI as a
// process (as `nobody` where permissions matter and this runs as root) and checks what it did.
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { githubProblem, terminalProblem } from './oracles.mjs';
import { nobody, runCli, shellCommand } from './run.mjs';

/** A file `--fix` changes (health checks, retry backoff), with comments. */
export const FIXABLE = `archlint: 1
name: t
# top comment
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    balancing: round-robin
    routes-to: [web] # inline
  web:
    kind: service # the app
    replicas: 3
    retry: { attempts: 3 }
`;

const user = nobody();
/** How long a run over a FIFO or /dev/zero may take: enough to say it stops, not enough to eat the machine's memory. */
const SPECIAL_FILE_BUDGET_MS = 10_000;
const asUser = user ? 'nobody' : 'the current user';

/** A fresh folder every user may enter and write. */
function folder(ctx, name) {
  const dir = mkdtempSync(join(ctx.work, `${name}-`));
  chmodSync(dir, 0o777);
  return dir;
}

/** Gives a path to `nobody` when acting as it. */
function own(path) {
  if (user) chownSync(path, user.uid, user.gid);
}

/** What `--fix` makes of FIXABLE, from a plain copy: the reference the linked and shared files must reach. */
let reference;
async function fixedReference(ctx) {
  if (reference) return reference;
  const dir = folder(ctx, 'reference');
  writeFileSync(join(dir, 'f.arch.yaml'), FIXABLE);
  await runCli(['lint', '--fix', 'f.arch.yaml'], { cwd: dir, timeoutMs: ctx.timeoutMs });
  reference = readFileSync(join(dir, 'f.arch.yaml'), 'utf8');
  if (reference === FIXABLE) throw new Error('fuzz: the FIXABLE file is not changed by --fix; pick another');
  return reference;
}

/** Runs the CLI in a scenario, counts it, and records a crash or an unexpected exit code. */
async function run(ctx, label, args, dir, { allowed = [0, 1, 2], as, setup, files, timeoutMs = ctx.timeoutMs } = {}) {
  const r = await runCli(args, { cwd: dir, timeoutMs, user: as });
  ctx.account(r, label);
  const bad = ctx.abnormal(r, allowed);
  if (bad) ctx.fail(bad[0], label, bad[1], repro(label, setup, [shellCommand(args, as)], r, files));
  return r;
}

function repro(label, setup, commands, run, files = [{ name: 'fixable.arch.yaml', bytes: FIXABLE }]) {
  return { label: `scenario "${label}"`, setup, commands, run, files };
}

const FIX_SETUP = 'T=$(mktemp -d); chmod 777 "$T"; cp fixable.arch.yaml "$T"/; cd "$T"';

export const SCENARIOS = [
  {
    name: 'read-only and foreign files',
    async run(ctx) {
      const dir = folder(ctx, 'readonly');
      const ro = join(dir, 'ro.arch.yaml');
      writeFileSync(ro, FIXABLE);
      own(ro);
      chmodSync(ro, 0o444);
      const files = ['ro.arch.yaml'];
      if (user) {
        // A file of root's, in a folder nobody may write: nobody may not replace it.
        writeFileSync(join(dir, 'foreign.arch.yaml'), FIXABLE);
        chmodSync(join(dir, 'foreign.arch.yaml'), 0o644);
        files.push('foreign.arch.yaml');
      }
      const setup = `${FIX_SETUP}; cp fixable.arch.yaml ro.arch.yaml; cp fixable.arch.yaml foreign.arch.yaml; ${user ? 'chown nobody ro.arch.yaml; ' : ''}chmod 444 ro.arch.yaml`;
      await run(ctx, 'lint --fix, read-only', ['lint', '--fix', ...files], dir, { as: user, setup });
      for (const f of files) {
        const now = readFileSync(join(dir, f), 'utf8');
        const mode = statSync(join(dir, f)).mode & 0o777;
        if (now !== FIXABLE)
          ctx.fail(
            'fix-wrote-unwritable',
            'lint --fix',
            `${f} (${f === 'ro.arch.yaml' ? 'mode 0444' : "root's"}) was replaced by ${asUser} (now mode ${mode.toString(8)})`,
            repro('read-only', setup, [shellCommand(['lint', '--fix', ...files], user), `cmp fixable.arch.yaml ${f}`]),
          );
      }
    },
  },
  {
    name: 'symbolic and hard links',
    async run(ctx) {
      const expected = await fixedReference(ctx);
      const dir = folder(ctx, 'links');
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 't.arch.yaml'), FIXABLE);
      symlinkSync('real/t.arch.yaml', join(dir, 'link.arch.yaml'));
      writeFileSync(join(dir, 'h1.arch.yaml'), FIXABLE);
      linkSync(join(dir, 'h1.arch.yaml'), join(dir, 'h2.arch.yaml.bak'));
      const setup = `${FIX_SETUP}; mkdir real; cp fixable.arch.yaml real/t.arch.yaml; ln -s real/t.arch.yaml link.arch.yaml; cp fixable.arch.yaml h1.arch.yaml; ln h1.arch.yaml h2.arch.yaml.bak`;
      const args = ['lint', '--fix', 'link.arch.yaml', 'h1.arch.yaml'];
      const r = await run(ctx, 'lint --fix, links', args, dir, { setup });
      const cmd = [shellCommand(args)];
      if (!lstatSync(join(dir, 'link.arch.yaml')).isSymbolicLink())
        ctx.fail(
          'fix-replaced-symlink',
          'lint --fix',
          'the symbolic link link.arch.yaml became a regular file',
          repro('symlink', setup, [...cmd, 'ls -l link.arch.yaml']),
        );
      // Its target fixed, or (if --fix declines links) left alone with a word about it.
      const target = readFileSync(join(dir, 'real', 't.arch.yaml'), 'utf8');
      if (target !== expected && (target !== FIXABLE || (r.stderr === '' && r.code !== 2)))
        ctx.fail(
          'fix-missed-symlink-target',
          'lint --fix',
          "the symbolic link's target was not fixed, and nothing said why",
          repro('symlink', setup, [...cmd, 'cmp fixable.arch.yaml real/t.arch.yaml && echo target unchanged']),
        );
      if (statSync(join(dir, 'h1.arch.yaml')).ino !== statSync(join(dir, 'h2.arch.yaml.bak')).ino)
        ctx.fail(
          'fix-broke-hard-link',
          'lint --fix',
          'h1.arch.yaml is no longer the same file as its hard link h2.arch.yaml.bak',
          repro('hard link', setup, [...cmd, 'cmp h1.arch.yaml h2.arch.yaml.bak']),
        );
    },
  },
  {
    name: 'several files, one unwritable',
    async run(ctx) {
      // b.arch.yaml is read-only; c.arch.yaml may be written in place, but its folder takes no new
      // file (nor a rename): whatever --fix does with them, each file it changes must be reported.
      const dir = folder(ctx, 'several');
      mkdirSync(join(dir, 'locked'));
      const names = ['a.arch.yaml', 'b.arch.yaml', 'locked/c.arch.yaml'];
      for (const n of names) {
        writeFileSync(join(dir, n), FIXABLE);
        own(join(dir, n));
      }
      chmodSync(join(dir, 'b.arch.yaml'), 0o444);
      chmodSync(join(dir, 'locked'), 0o555);
      const setup = `${FIX_SETUP}; mkdir locked; for f in a.arch.yaml b.arch.yaml locked/c.arch.yaml; do cp fixable.arch.yaml $f; done; ${user ? 'chown nobody a.arch.yaml b.arch.yaml locked/c.arch.yaml; ' : ''}chmod 444 b.arch.yaml; chmod 555 locked`;
      const args = ['lint', '--fix', '--format', 'json', ...names];
      const r = await run(ctx, 'lint --fix, one unwritable', args, dir, { as: user, setup });
      let report;
      try {
        report = JSON.parse(r.stdout.toString('utf8'));
      } catch {
        report = [];
      }
      for (const n of names) {
        const now = readFileSync(join(dir, n), 'utf8');
        if (now === FIXABLE) continue;
        const entry = report.find((x) => x.filePath === join(dir, n));
        if (entry?.output !== now)
          ctx.fail(
            'fix-unreported-change',
            'lint --fix',
            `${n} was rewritten, but the report (exit ${r.code}, ${r.stdout.length} bytes on stdout) does not say so`,
            repro(
              'one unwritable',
              setup,
              [shellCommand(args, user), `for f in ${names.join(' ')}; do cmp -s fixable.arch.yaml $f || echo $f changed; done`],
              r,
            ),
          );
      }
      chmodSync(join(dir, 'locked'), 0o755);
    },
  },
  {
    name: 'linked folders',
    async run(ctx) {
      const dir = folder(ctx, 'linked');
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'a.arch.yaml'), FIXABLE);
      symlinkSync('sub', join(dir, 'link'));
      symlinkSync('..', join(dir, 'sub', 'loop'));
      const setup =
        'T=$(mktemp -d); cp fixable.arch.yaml "$T"/; cd "$T"; mkdir sub; cp fixable.arch.yaml sub/a.arch.yaml; ln -s sub link; ln -s .. sub/loop';
      const args = ['lint', '--format', 'json', '.'];
      const r = await run(ctx, 'lint a folder with links', args, dir, { setup });
      if (r.code === 2 || r.timedOut) return;
      let report;
      try {
        report = JSON.parse(r.stdout.toString('utf8'));
      } catch (error) {
        ctx.fail('invalid-json', 'lint --format json', error.message, repro('linked folders', setup, [shellCommand(args)], r));
        return;
      }
      const real = report.map((x) => realpathSync(x.filePath));
      const twice = real.filter((p, i) => real.indexOf(p) !== i);
      if (twice.length > 0)
        ctx.fail(
          'file-linted-twice',
          'lint (folder)',
          `${twice.length} file(s) reported more than once through linked folders: ${report.map((x) => x.filePath.slice(dir.length + 1)).join(', ')}`,
          repro('linked folders', setup, [shellCommand(args)], r),
        );
    },
  },
  {
    name: 'unreadable folder',
    async run(ctx) {
      if (process.getuid?.() === 0 && !user) return;
      const dir = folder(ctx, 'unreadable');
      writeFileSync(join(dir, 'ok.arch.yaml'), FIXABLE);
      mkdirSync(join(dir, 'locked'));
      writeFileSync(join(dir, 'locked', 'x.arch.yaml'), FIXABLE);
      chmodSync(join(dir, 'locked'), 0o000);
      const setup = `T=$(mktemp -d); chmod 777 "$T"; cp fixable.arch.yaml "$T"/ok.arch.yaml; cd "$T"; mkdir locked; cp ok.arch.yaml locked/x.arch.yaml; chmod 000 locked`;
      const args = ['lint', '--no-color', '.'];
      const r = await run(ctx, 'lint a folder with an unreadable folder', args, dir, { as: user, setup });
      chmodSync(join(dir, 'locked'), 0o755);
      if (r.code !== 2 && !/locked/.test(r.stderr + r.stdout.toString('utf8')))
        ctx.fail(
          'silent-skip',
          'lint (folder)',
          `the unreadable folder "locked" was skipped without a word (exit ${r.code})`,
          repro('unreadable folder', setup, [shellCommand(args, user)], r),
        );
    },
  },
  {
    name: 'special files',
    async run(ctx) {
      const dir = folder(ctx, 'special');
      writeFileSync(join(dir, 'ok.arch.yaml'), FIXABLE);
      let fifo = true;
      try {
        execFileSync('mkfifo', [join(dir, 'pipe.arch.yaml')]);
      } catch {
        fifo = false;
      }
      symlinkSync('/dev/zero', join(dir, 'zero.arch.yaml'));
      const setup = `T=$(mktemp -d); cp fixable.arch.yaml "$T"/ok.arch.yaml; cd "$T"; ${fifo ? 'mkfifo pipe.arch.yaml; ' : ''}ln -s /dev/zero zero.arch.yaml`;
      for (const args of [
        ['lint', '.'],
        ['lint', 'zero.arch.yaml'],
        ['availability', 'zero.arch.yaml'],
        ...(fifo ? [['lint', 'pipe.arch.yaml']] : []),
      ]) {
        // A shorter budget: reading /dev/zero takes memory as fast as it takes time.
        await run(ctx, `${args[0]} on special files`, args, dir, {
          setup,
          timeoutMs: Math.min(ctx.timeoutMs, SPECIAL_FILE_BUDGET_MS),
        });
      }
    },
  },
  {
    name: 'hostile file names',
    async run(ctx) {
      const dir = folder(ctx, 'names');
      const name = 'a\x1b[31mred\x1b]0;pwned\x07\u202eb\nc.arch.yaml';
      const broken = 'archlint: 1\ncomponents:\n  web: { kind: service, replicas: 2\n';
      writeFileSync(join(dir, name), FIXABLE);
      writeFileSync(join(dir, `broken-${name}`), broken);
      const files = [
        { name: 'fixable.arch.yaml', bytes: FIXABLE },
        { name: 'broken.arch.yaml', bytes: broken },
      ];
      const setup = `T=$(mktemp -d); cp fixable.arch.yaml broken.arch.yaml "$T"/; cd "$T"; N=$(printf 'a\\033[31mred\\033]0;pwned\\007\\342\\200\\256b\\nc.arch.yaml'); mv fixable.arch.yaml "$N"; mv broken.arch.yaml "broken-$N"`;
      const terminal = async (label, args, shown) => {
        const r = await run(ctx, label, args, dir, { setup, files });
        const p = terminalProblem(r.stdout.toString('utf8')) ?? terminalProblem(r.stderr);
        if (p)
          ctx.fail(
            'terminal-unsafe',
            label,
            `a file name printed raw: ${p}`,
            repro('hostile file names', setup, [shown], r, files),
          );
        return r;
      };
      await terminal(
        'lint (stylish), hostile file name',
        ['lint', '--no-color', '.'],
        `${shellCommand(['lint', '--no-color', '.'])} | cat -v`,
      );
      await terminal(
        'availability (table), hostile file name',
        ['availability', name],
        `${shellCommand(['availability'])} "$N" | cat -v`,
      );
      await terminal(
        'diagram, hostile broken file name',
        ['diagram', `broken-${name}`],
        `${shellCommand(['diagram'])} "broken-$N" 2>&1 >/dev/null | cat -v`,
      );
      const sarif = await run(ctx, 'lint --format sarif, hostile file name', ['lint', '--format', 'sarif', '.'], dir, {
        setup,
        files,
        allowed: [0, 1],
      });
      let log;
      try {
        log = JSON.parse(sarif.stdout.toString('utf8'));
      } catch (error) {
        log = error;
      }
      const invalid = log instanceof Error ? log.message : ctx.validateSarif(log);
      if (invalid)
        ctx.fail(
          'invalid-sarif',
          'lint --format sarif',
          `with a hostile file name: ${invalid}`,
          repro('hostile file names', setup, [shellCommand(['lint', '--format', 'sarif', '.'])], sarif, files),
        );
      const gh = await run(ctx, 'lint --format github, hostile file name', ['lint', '--format', 'github', '.'], dir, {
        setup,
        files,
      });
      const p = githubProblem(gh.stdout.toString('utf8'));
      if (p)
        ctx.fail(
          'invalid-github',
          'lint --format github',
          p,
          repro('hostile file names', setup, [`${shellCommand(['lint', '--format', 'github', '.'])} | cat -v`], gh, files),
        );
    },
  },
  {
    name: 'output into a missing folder',
    async run(ctx) {
      const dir = folder(ctx, 'output');
      writeFileSync(join(dir, 'f.arch.yaml'), FIXABLE);
      const setup = 'T=$(mktemp -d); cp fixable.arch.yaml "$T"/f.arch.yaml; cd "$T"';
      const outcomes = [];
      for (const [cmd, out] of [
        ['lint', 'missing/a/report.json'],
        ['availability', 'missing/b/availability.json'],
        ['diagram', 'missing/c/diagram.svg'],
      ]) {
        const args = [cmd, 'f.arch.yaml', '-o', out];
        const r = await run(ctx, `${cmd} -o into a missing folder`, args, dir, { setup });
        const wrote = existsSync(join(dir, out));
        if (r.code === 2 && r.stderr === '')
          ctx.fail('exit-code', `${cmd} -o`, 'exit 2 without a message', repro('output folder', setup, [shellCommand(args)], r));
        outcomes.push(`${cmd}: ${wrote ? 'creates the folder' : `exit ${r.code}`}`);
      }
      if (new Set(outcomes.map((o) => o.endsWith('creates the folder'))).size > 1)
        ctx.fail(
          'output-folder-inconsistent',
          '-o',
          `commands disagree about a missing output folder: ${outcomes.join('; ')}`,
          repro('output folder', setup, [
            'for c in lint availability diagram; do ' +
              shellCommand(['$c']).replace("'$c'", '$c') +
              ' f.arch.yaml -o missing/$c/out; echo "$c exit $?"; done',
          ]),
        );
    },
  },
];
