import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BROKEN, buildCliOnce, CLEAN, skipBecause, tempTree, unprivileged } from './setup';

beforeAll(buildCliOnce);

/**
 * Comments everywhere; `web` lacks a health check (missing-health-check: a safe fix) and `edge`
 * has one replica (single-point-of-failure: only an unsafe fix, which --fix must not apply).
 */
const COMMENTED = `# The shop's front door.
archlint: 1
name: shop   # keep this name
components:
  edge:
    kind: load-balancer   # public
    entry: true
    replicas: 1           # TODO: a second one
    health-check: { path: /healthz, interval: 10s }
    routes-to: [web]
  # the app tier
  web:
    kind: service
    replicas: 3 # three is plenty
# trailing comment
`;

interface Message {
  ruleId: string;
  fix?: { range: [number, number]; text: string };
}

function messages(dir: string, file: string): Message[] {
  return (JSON.parse(archlint(['lint', '--format', 'json', file], dir).stdout) as { messages: Message[] }[])[0]!.messages;
}

describe('archlint lint --fix', () => {
  it('applies exactly the safe fix in place: comments and every other byte stay, unsafe fixes are left alone', () => {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED });
    const safe = messages(dir, 'shop.arch.yaml').find((m) => m.ruleId === 'missing-health-check')!.fix!;
    expect(safe).toBeDefined();
    const r = archlint(['lint', '--fix', 'shop.arch.yaml'], dir);
    const fixed = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
    // The result is the original with that one edit: nothing else moved.
    expect(fixed).toBe(COMMENTED.slice(0, safe.range[0]) + safe.text + COMMENTED.slice(safe.range[1]));
    for (const comment of [
      "# The shop's front door.",
      '# keep this name',
      '# TODO: a second one',
      '# the app tier',
      '# three is plenty',
      '# trailing comment',
    ]) {
      expect(fixed).toContain(comment);
    }
    // What remains is reported: the SPOF (unsafe fix only) keeps the exit code at 1.
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('single-point-of-failure');
    expect(r.stdout).not.toContain('missing-health-check');
    expect(messages(dir, 'shop.arch.yaml').map((m) => m.ruleId)).toEqual(['single-point-of-failure']);
  });

  it('is idempotent and does not rewrite a file it does not change', () => {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED, 'clean.arch.yaml': CLEAN });
    archlint(['lint', '--fix'], dir);
    const once = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of ['shop.arch.yaml', 'clean.arch.yaml']) utimesSync(join(dir, f), past, past);
    archlint(['lint', '--fix'], dir);
    expect(readFileSync(join(dir, 'shop.arch.yaml'), 'utf8')).toBe(once);
    expect(readFileSync(join(dir, 'clean.arch.yaml'), 'utf8')).toBe(CLEAN);
    for (const f of ['shop.arch.yaml', 'clean.arch.yaml']) expect(statSync(join(dir, f)).mtime).toEqual(past);
  });

  it('writes atomically: permissions kept, no temp file left behind', () => {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED });
    chmodSync(join(dir, 'shop.arch.yaml'), 0o640);
    const before = statSync(join(dir, 'shop.arch.yaml'));
    archlint(['lint', '--fix'], dir);
    const after = statSync(join(dir, 'shop.arch.yaml'));
    expect(after.mode & 0o777).toBe(0o640);
    // A rename gives the path a new inode: the file was replaced, never truncated and rewritten.
    expect(after.ino).not.toBe(before.ino);
    expect(readdirSync(dir)).toEqual(['shop.arch.yaml']);
  });

  it('keeps a byte-order mark and reports the fixed text as `output` in JSON', () => {
    const dir = tempTree({ 'shop.arch.yaml': `\uFEFF${COMMENTED}` });
    const r = archlint(['lint', '--fix', '--format', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as { output?: string; messages: Message[] }[];
    const onDisk = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
    expect(onDisk.startsWith('\uFEFF# The shop')).toBe(true);
    expect(result!.output).toBe(onDisk.slice(1));
    expect(result!.messages.map((m) => m.ruleId)).toEqual(['single-point-of-failure']);
  });

  it('leaves a file that is not YAML untouched', () => {
    const dir = tempTree({ 'broken.arch.yaml': BROKEN });
    const r = archlint(['lint', '--fix'], dir);
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'broken.arch.yaml'), 'utf8')).toBe(BROKEN);
  });

  it('exits 0 when the fixes leave only warnings, and the next plain run agrees', () => {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED.replace('replicas: 1 ', 'replicas: 2 ') });
    expect(archlint(['lint'], dir).code).toBe(0); // a warning only
    expect(archlint(['lint', '--fix', '--max-warnings', '0'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(archlint(['lint', '--max-warnings', '0'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('fixes CRLF files without mixing line endings', () => {
    const crlf = COMMENTED.replace(/\n/g, '\r\n');
    const dir = tempTree({ 'shop.arch.yaml': crlf });
    archlint(['lint', '--fix'], dir);
    const fixed = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
    expect(fixed).not.toBe(crlf);
    expect(fixed.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

let fixedCache: string | undefined;

/** COMMENTED after `--fix`: its one safe fix applied. */
function fixedText(): string {
  if (fixedCache === undefined) {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED });
    archlint(['lint', '--fix'], dir);
    fixedCache = readFileSync(join(dir, 'shop.arch.yaml'), 'utf8');
  }
  expect(fixedCache).not.toBe(COMMENTED);
  return fixedCache;
}

describe('archlint lint --fix through links', () => {
  it('edits the target of a symlink, which stays a symlink', () => {
    const dir = tempTree({ 'real/shop.arch.yaml': COMMENTED });
    symlinkSync('real/shop.arch.yaml', join(dir, 'shop.arch.yaml'));
    const r = archlint(['lint', '--fix', 'shop.arch.yaml'], dir);
    expect(r.code, r.stderr).toBe(1); // the single point of failure remains
    expect(lstatSync(join(dir, 'shop.arch.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'shop.arch.yaml'))).toBe('real/shop.arch.yaml');
    expect(readFileSync(join(dir, 'real/shop.arch.yaml'), 'utf8')).toBe(fixedText());
    expect(readdirSync(join(dir, 'real'))).toEqual(['shop.arch.yaml']);
    expect(readdirSync(dir).sort()).toEqual(['real', 'shop.arch.yaml']);
  });

  it('keeps hard links: a file with several links is rewritten in place, mode kept, nothing left behind', () => {
    const dir = tempTree({ 'shop.arch.yaml': COMMENTED });
    linkSync(join(dir, 'shop.arch.yaml'), join(dir, 'shop.arch.yaml.orig'));
    chmodSync(join(dir, 'shop.arch.yaml'), 0o640);
    const before = statSync(join(dir, 'shop.arch.yaml'));
    archlint(['lint', '--fix', 'shop.arch.yaml'], dir);
    const after = statSync(join(dir, 'shop.arch.yaml'));
    expect(after.ino).toBe(before.ino);
    expect(after.nlink).toBe(2);
    expect(after.mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'shop.arch.yaml'), 'utf8')).toBe(fixedText());
    expect(readFileSync(join(dir, 'shop.arch.yaml.orig'), 'utf8')).toBe(fixedText());
    expect(readdirSync(dir).sort()).toEqual(['shop.arch.yaml', 'shop.arch.yaml.orig']);
    // Shrinking in place leaves no stale tail: a second run changes nothing.
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(dir, 'shop.arch.yaml'), past, past);
    archlint(['lint', '--fix', 'shop.arch.yaml'], dir);
    expect(statSync(join(dir, 'shop.arch.yaml')).mtime).toEqual(past);
  });
});

/** COMMENTED with a Latin-1 `é` (the one byte 0xE9) in its third line's comment, at column 26. */
const LATIN1 = Buffer.concat([
  Buffer.from(COMMENTED.slice(0, COMMENTED.indexOf('keep this name')), 'utf8'),
  Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "caf\xE9"
  Buffer.from(COMMENTED.slice(COMMENTED.indexOf('keep this name') - 1), 'utf8'),
]);

interface EncodingMessage {
  ruleId: string;
  severity: number;
  fatal?: boolean;
  line: number;
  column: number;
  message: string;
}

describe('archlint lint on a file that is not UTF-8', () => {
  it('reports one encoding error at the first bad byte, and --fix never rewrites the file', () => {
    const dir = tempTree({ 'shop.arch.yaml': LATIN1 });
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(dir, 'shop.arch.yaml'), past, past);
    const plain = archlint(['lint', 'shop.arch.yaml'], dir);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(
      /^ {2}3:19 {2}error {2}not UTF-8: the byte 0xE9 here is not part of a UTF-8 character; .* {2}encoding$/m,
    );
    expect(plain.stdout).toContain('✖ 1 problem (1 error, 0 warnings)');

    const fixed = archlint(['lint', '--fix', '--format', 'json', 'shop.arch.yaml'], dir);
    expect(fixed.code).toBe(1);
    const [result] = JSON.parse(fixed.stdout) as { messages: EncodingMessage[]; errorCount: number; output?: string }[];
    expect(result!.messages).toEqual([
      expect.objectContaining({ ruleId: 'encoding', severity: 2, fatal: true, line: 3, column: 19 }),
    ]);
    expect(result!.errorCount).toBe(1);
    expect(result!.output).toBeUndefined();
    expect(readFileSync(join(dir, 'shop.arch.yaml')).equals(LATIN1)).toBe(true);
    expect(statSync(join(dir, 'shop.arch.yaml')).mtime).toEqual(past);
    expect(readdirSync(dir)).toEqual(['shop.arch.yaml']);
  });

  it('points past replacement characters the file really holds, after a byte-order mark, and names UTF-16', () => {
    const dir = tempTree({
      // U+FFFD written as UTF-8 on line 1 is text; the bad byte is the 0xFF on line 2.
      'real-fffd.arch.yaml': Buffer.concat([Buffer.from('\uFEFFname: "\uFFFD\uFFFD"\n# x', 'utf8'), Buffer.from([0xff])]),
      'utf16.arch.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('archlint: 1\n', 'utf16le')]),
      'fine.arch.yaml': `${CLEAN}# a replacement character is text: \uFFFD\n`,
    });
    const results = JSON.parse(archlint(['lint', '--format', 'json'], dir).stdout) as {
      filePath: string;
      messages: EncodingMessage[];
    }[];
    const byFile = new Map(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages]));
    expect(byFile.get('fine.arch.yaml')).toEqual([]);
    expect(byFile.get('real-fffd.arch.yaml')).toEqual([
      expect.objectContaining({ ruleId: 'encoding', line: 2, column: 4, message: expect.stringContaining('byte 0xFF') }),
    ]);
    expect(byFile.get('utf16.arch.yaml')).toEqual([
      expect.objectContaining({ ruleId: 'encoding', line: 1, column: 1, message: expect.stringContaining('UTF-16') }),
    ]);
  });
});

/** Gives `files` of `dir` to `uid` with `mode`, and lets everyone into `dir` (as a shared folder would). */
function share(dir: string, uid: number, gid: number, files: Record<string, number>): void {
  chmodSync(dir, 0o777);
  for (const [file, mode] of Object.entries(files)) {
    chownSync(join(dir, file), uid, gid);
    chmodSync(join(dir, file), mode);
  }
}

describe('archlint lint --fix and permissions (run as an unprivileged user)', () => {
  it('never writes a file the user may not write, reports every file, and exits 2', (ctx) => {
    const user = unprivileged();
    if ('skip' in user) return skipBecause(ctx, user.skip);
    const dir = tempTree({ 'a.arch.yaml': COMMENTED, 'b-readonly.arch.yaml': COMMENTED, 'c.arch.yaml': COMMENTED });
    share(dir, user.uid, user.gid, { 'a.arch.yaml': 0o644, 'b-readonly.arch.yaml': 0o444, 'c.arch.yaml': 0o644 });
    const r = user.run(['lint', '--fix', '--format', 'json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('archlint: cannot write b-readonly.arch.yaml: permission denied; its fixes were not applied\n');
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string }[]; output?: string }[];
    expect(results.map((f) => [f.filePath.slice(dir.length + 1), f.output !== undefined])).toEqual([
      ['a.arch.yaml', true],
      ['b-readonly.arch.yaml', false],
      ['c.arch.yaml', true],
    ]);
    // The unwritten file is reported as it is on disk: its fixable finding is still there.
    expect(results[1]!.messages.map((m) => m.ruleId).sort()).toEqual(['missing-health-check', 'single-point-of-failure']);
    expect(readFileSync(join(dir, 'b-readonly.arch.yaml'), 'utf8')).toBe(COMMENTED);
    expect(statSync(join(dir, 'b-readonly.arch.yaml')).mode & 0o777).toBe(0o444);
    for (const f of ['a.arch.yaml', 'c.arch.yaml']) {
      expect(readFileSync(join(dir, f), 'utf8')).toBe(fixedText());
      expect(statSync(join(dir, f)).uid).toBe(user.uid);
    }
    expect(readdirSync(dir).sort()).toEqual(['a.arch.yaml', 'b-readonly.arch.yaml', 'c.arch.yaml']);

    // Stylish: the report first, then the error, last on the terminal.
    chmodSync(join(dir, 'b-readonly.arch.yaml'), 0o444);
    const stylish = user.run(['lint', '--fix'], dir);
    expect(stylish.code).toBe(2);
    expect(stylish.stdout).toMatch(/^b-readonly\.arch\.yaml$/m);
    expect(stylish.stdout).toContain('missing-health-check');
  });

  it("never replaces another user's file that the user may not write, even in a folder it may write", (ctx) => {
    const user = unprivileged();
    if ('skip' in user) return skipBecause(ctx, user.skip);
    if (user.otherUid === undefined) return skipBecause(ctx, 'giving a file to another user needs root');
    const dir = tempTree({ 'theirs.arch.yaml': COMMENTED });
    share(dir, user.otherUid, user.gid, { 'theirs.arch.yaml': 0o644 });
    const r = user.run(['lint', '--fix', 'theirs.arch.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('archlint: cannot write theirs.arch.yaml: permission denied; its fixes were not applied\n');
    expect(readFileSync(join(dir, 'theirs.arch.yaml'), 'utf8')).toBe(COMMENTED);
    expect(statSync(join(dir, 'theirs.arch.yaml')).uid).toBe(user.otherUid);
  });

  it("writes another user's file it may write (group-writable) in place: owner and inode stay", (ctx) => {
    const user = unprivileged();
    if ('skip' in user) return skipBecause(ctx, user.skip);
    if (user.otherUid === undefined) return skipBecause(ctx, 'giving a file to another user needs root');
    const dir = tempTree({ 'team.arch.yaml': COMMENTED });
    share(dir, user.otherUid, user.gid, { 'team.arch.yaml': 0o664 });
    const before = statSync(join(dir, 'team.arch.yaml'));
    const r = user.run(['lint', '--fix', 'team.arch.yaml'], dir);
    expect(r.code, r.stderr).toBe(1);
    const after = statSync(join(dir, 'team.arch.yaml'));
    expect(readFileSync(join(dir, 'team.arch.yaml'), 'utf8')).toBe(fixedText());
    expect([after.ino, after.uid, after.gid, after.mode & 0o777]).toEqual([before.ino, before.uid, before.gid, 0o664]);
    expect(readdirSync(dir)).toEqual(['team.arch.yaml']);
  });

  it("as root, replaces another user's file with one that has the same owner, group and mode", (ctx) => {
    const user = unprivileged();
    if ('skip' in user) return skipBecause(ctx, user.skip);
    if (user.otherUid === undefined) return skipBecause(ctx, 'only root can fix a file that another user owns');
    const dir = tempTree({ 'theirs.arch.yaml': COMMENTED });
    share(dir, user.uid, user.gid, { 'theirs.arch.yaml': 0o640 });
    const r = archlint(['lint', '--fix', 'theirs.arch.yaml'], dir);
    expect(r.code, r.stderr).toBe(1);
    const after = statSync(join(dir, 'theirs.arch.yaml'));
    expect(readFileSync(join(dir, 'theirs.arch.yaml'), 'utf8')).toBe(fixedText());
    expect([after.uid, after.gid, after.mode & 0o777]).toEqual([user.uid, user.gid, 0o640]);
  });
});
