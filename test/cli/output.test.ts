/** What the commands write with `-o`, and what availability and diagram say about a file they cannot read as text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archlint, buildCliOnce, CLEAN, tempTree } from './setup';

beforeAll(buildCliOnce);

describe('-o', () => {
  it('creates the folders it writes into, in lint, availability and diagram alike', () => {
    const dir = tempTree({ 'clean.arch.yaml': CLEAN });
    expect(archlint(['lint', 'clean.arch.yaml', '-f', 'json', '-o', 'out/lint/report.json'], dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(JSON.parse(readFileSync(join(dir, 'out/lint/report.json'), 'utf8'))).toHaveLength(1);
    expect(archlint(['availability', 'clean.arch.yaml', '-o', 'out/availability/report.txt'], dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(readFileSync(join(dir, 'out/availability/report.txt'), 'utf8')).toMatch(/^entry\s+availability/m);
    expect(archlint(['diagram', 'clean.arch.yaml', '-o', 'out/diagram/shop.svg'], dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(readFileSync(join(dir, 'out/diagram/shop.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('exits 2 with one line when the folder cannot be made', () => {
    const dir = tempTree({ 'clean.arch.yaml': CLEAN });
    for (const command of ['lint', 'availability', 'diagram']) {
      expect(archlint([command, 'clean.arch.yaml', '-o', 'clean.arch.yaml/out.txt'], dir)).toEqual({
        code: 2,
        stdout: '',
        stderr: 'archlint: cannot write clean.arch.yaml/out.txt: a part of the path is not a folder\n',
      });
    }
  });
});

describe('availability and diagram on a file that is not UTF-8', () => {
  it('exit 1 with the encoding error at the first bad byte, and write nothing', () => {
    const latin1 = Buffer.concat([Buffer.from(`${CLEAN}# caf`, 'utf8'), Buffer.from([0xe9, 0x0a])]);
    const dir = tempTree({ 'latin1.arch.yaml': latin1 });
    const line = CLEAN.split('\n').length;
    const where = `latin1.arch.yaml:${line}:6: error: not UTF-8: the byte 0xE9 here is not part of a UTF-8 character; save the file as UTF-8 (nothing else in it was checked) (encoding)\n`;
    expect(archlint(['availability', 'latin1.arch.yaml'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `${where}archlint: latin1.arch.yaml is not a readable architecture: no availability computed\n`,
    });
    expect(archlint(['diagram', 'latin1.arch.yaml'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `${where}archlint: latin1.arch.yaml is not a readable architecture: nothing drawn\n`,
    });
  });
});
