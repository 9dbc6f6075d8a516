import { chmodSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, BROKEN, buildCliOnce, CLEAN, tempTree } from './setup';

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
