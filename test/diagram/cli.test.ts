import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../extension/src/cli/commands/diagram';
import { UsageError, type CliIO } from '../../extension/src/cli/io';
import { archlint, buildCliOnce, ROOT, tempTree } from '../cli/setup';
import { anyOfTangle } from './tangle';

function io(cwd = ROOT): CliIO & { out: string; err: string } {
  const result = {
    cwd,
    color: false,
    out: '',
    err: '',
    stdout: (t: string) => (result.out += t),
    stderr: (t: string) => (result.err += t),
  };
  return result;
}

describe('archlint diagram (in process)', () => {
  it('prints an SVG of the file by default', async () => {
    const out = io();
    expect(await run(['samples/shop.arch.yaml'], out)).toBe(0);
    expect(out.out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(out.out.match(/<g class="node /g)).toHaveLength(9);
    expect(out.out).toContain('<style>');
  });

  it('prints Mermaid with --format mermaid, top-down with --direction down', async () => {
    const out = io();
    expect(await run(['samples/shop.arch.yaml', '--format', 'mermaid', '--direction', 'down'], out)).toBe(0);
    expect(out.out.split('\n')[0]).toBe('flowchart TD');
    expect(out.out).toContain('n_web -.-> n_recommendations');
  });

  it('writes OUT with -o, and guesses Mermaid from a .mmd name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-diagram-'));
    const out = io(dir);
    writeFileSync(join(dir, 'a.arch.yaml'), readFileSync(join(ROOT, 'samples/chat.arch.yaml')));
    expect(await run(['a.arch.yaml', '-o', 'a.svg'], out)).toBe(0);
    expect(await run(['a.arch.yaml', '-o', 'a.mmd'], out)).toBe(0);
    expect(out.out).toBe('');
    expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toMatch(/^<svg /);
    expect(readFileSync(join(dir, 'a.mmd'), 'utf8')).toMatch(/^flowchart LR\n/);
  });

  it('refuses wrong usage with a usage error (exit 2)', async () => {
    await expect(run([], io())).rejects.toThrow(UsageError);
    await expect(run(['samples/shop.arch.yaml', '--format', 'png'], io())).rejects.toThrow(/unknown format "png"/);
    await expect(run(['samples/shop.arch.yaml', '--direction', 'up'], io())).rejects.toThrow(/unknown direction/);
    await expect(run(['nope.arch.yaml'], io())).rejects.toThrow(/no such file: nope\.arch\.yaml/);
    await expect(run(['samples/shop.arch.yaml', 'samples/chat.arch.yaml'], io())).rejects.toThrow(/one FILE/);
  });

  it('refuses a file that is not an architecture, saying where (exit 1, as availability)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-diagram-'));
    writeFileSync(join(dir, 'bad.arch.yaml'), 'components: [\n');
    const bad = io(dir);
    expect(await run(['bad.arch.yaml'], bad)).toBe(1);
    expect(bad.err).toMatch(/^bad\.arch\.yaml:\d+:\d+: error: /);
    expect(bad.err).toMatch(/not a readable architecture: nothing drawn/);
    expect(bad.out).toBe('');
    writeFileSync(join(dir, 'empty.arch.yaml'), 'archlint: 1\n');
    const empty = io(dir);
    expect(await run(['empty.arch.yaml'], empty)).toBe(1);
    expect(empty.err).toMatch(/no components to draw/);
  });

  it('fences Mermaid written into a Markdown file, so the page renders it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archlint-diagram-'));
    expect(await run([join(ROOT, 'samples/shop.arch.yaml'), '-o', 'shop.md'], io(dir))).toBe(0);
    expect(readFileSync(join(dir, 'shop.md'), 'utf8')).toMatch(/^```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
  });
});

describe('archlint diagram (real process)', () => {
  beforeAll(buildCliOnce, 120_000);

  it('exits 0 with the picture, 2 on a usage error', () => {
    const ok = archlint(['diagram', 'samples/shop.arch.yaml', '--format', 'mermaid']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^flowchart LR\n/);
    const bad = archlint(['diagram', 'samples/shop.arch.yaml', '--format', 'gif']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown format "gif"/);
  });

  it('draws a graph too tangled for ELK with the simplest layout, says so on the picture and on stderr, exits 0', () => {
    // The audit's D4 reproducer at 280 components and 4,000 any-of junctions: ELK never finished it.
    const dir = tempTree({ 'd4.arch.yaml': anyOfTangle(200, 20) });
    const r = archlint(['diagram', 'd4.arch.yaml', '-o', 'd4.svg'], dir);
    expect(r.code, r.stderr).toBe(0);
    const note =
      'Simplest layout: 4280 nodes and 16000 edges (any-of junctions included) are more than the layered layout draws in a few seconds';
    expect(r.stderr).toBe(`archlint: note: ${note}\n`);
    const svg = readFileSync(join(dir, 'd4.svg'), 'utf8');
    expect(svg).toContain(`<text class="layout-note" x="12" y="18">${note}</text>`);
    expect(svg.match(/<g class="node /g)).toHaveLength(280);
  }, 120_000);

  it('falls back to the simplest layout when ELK runs past its time budget (ARCHLINT_LAYOUT_BUDGET_MS)', () => {
    // A budget no layout can meet: the thread is stopped and the picture says why.
    const r = archlint(['diagram', 'samples/shop.arch.yaml'], ROOT, { ARCHLINT_LAYOUT_BUDGET_MS: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('archlint: note: Simplest layout: the layered layout did not finish within 1 ms\n');
    expect(r.stdout).toContain(
      '<text class="layout-note" x="12" y="18">Simplest layout: the layered layout did not finish within 1 ms</text>',
    );
    expect(r.stdout.match(/<g class="node /g)).toHaveLength(9);
    // The default budget is generous: the same file is drawn with the layered layout, without a note.
    const normal = archlint(['diagram', 'samples/shop.arch.yaml']);
    expect(normal.stderr).toBe('');
    expect(normal.stdout).not.toContain('<text class="layout-note"');
  }, 120_000);
});
