/**
 * The diagram webview in a real Chromium (Debian's, driven by playwright-core): the page VS Code
 * would show, with a stand-in host that runs the real engine. No browser is downloaded.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebviewToHost } from '../../extension/src/protocol';
import { buildBundles, OUT, ROOT, startServer, type HarnessServer } from './harness/server';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOP = readFileSync(join(ROOT, 'samples/shop.arch.yaml'), 'utf8');
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE = `archlint: 1
name: "<script>alert('name')</script>"
components:
  "${HOSTILE_NAME}":
    kind: load-balancer
    entry: true
    replicas: 2
    routes-to: ['"><svg onload=alert(2)>']
  '"><svg onload=alert(2)>':
    kind: service
    replicas: 2
    depends-on: ['a&b #1 \`x\`']
  'a&b #1 \`x\`': { kind: database, replicas: 1 }
`;

interface PageProbe {
  page: Page;
  dialogs: string[];
  errors: string[];
  cspViolations: string[];
}

let browser: Browser;
let server: HarnessServer;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await buildBundles();
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openDiagram(text: string, query = '', viewport = { width: 1200, height: 700 }, renders = 1): Promise<PageProbe> {
  const page = await browser.newPage({ viewport });
  const probe: PageProbe = { page, dialogs: [], errors: [], cspViolations: [] };
  page.on('dialog', (dialog) => {
    probe.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => probe.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') probe.errors.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(`${server.origin}/${query}`);
  await page.evaluate((t) => (window as unknown as { archlintHarness: { load(t: string): void } }).archlintHarness.load(t), text);
  if (renders > 0) await waitForRenders(probe, renders);
  return probe;
}

const posted = (probe: PageProbe): Promise<WebviewToHost[]> =>
  probe.page.evaluate(() => (window as unknown as { archlintHarness: { posted: WebviewToHost[] } }).archlintHarness.posted);

async function waitForRenders(probe: PageProbe, count: number): Promise<void> {
  await probe.page.waitForFunction(
    (n) =>
      (window as unknown as { archlintHarness: { posted: { type: string }[] } }).archlintHarness.posted.filter(
        (m) => m.type === 'rendered',
      ).length >= n,
    count,
    { timeout: 20_000 },
  );
}

const entryText = (page: Page, id: string) => page.locator(`g.node[data-id="${id}"] text.line.entry`).textContent();

async function checkClean(probe: PageProbe): Promise<void> {
  const violations = await probe.page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
  expect(violations).toEqual([]);
  expect(probe.errors).toEqual([]);
  expect(
    await probe.page.evaluate(() => (window as unknown as { archlintHarness: { invalid: unknown[] } }).archlintHarness.invalid),
  ).toEqual([]);
}

describe('diagram webview in Chromium', () => {
  it('draws every component and edge of the shop sample, laid out in the worker, under the CSP', async () => {
    const probe = await openDiagram(SHOP);
    const { page } = probe;
    const ids = await page.locator('g.node').evaluateAll((nodes) => nodes.map((n) => (n as SVGGElement).dataset.id));
    expect(ids.sort()).toEqual([
      'cache',
      'catalog',
      'checkout',
      'db',
      'edge',
      'payments-eu',
      'payments-us',
      'recommendations',
      'web',
    ]);
    // 9 edges in the graph, plus one into the junction of checkout's any-of group.
    expect(await page.locator('path.edge').count()).toBe(10);
    expect(await page.locator('g.junction').count()).toBe(1);
    expect(await page.locator('path.edge.optional[data-from="web"][data-to="recommendations"]').count()).toBe(1);
    expect(await page.locator('g.node.entry').evaluateAll((n) => n.map((e) => (e as SVGGElement).dataset.id))).toEqual(['edge']);
    expect(await entryText(page, 'edge')).toMatch(/^entry \d+\.\d+%/);
    const rendered = (await posted(probe)).filter((m) => m.type === 'rendered');
    expect(rendered.at(-1)).toEqual({ type: 'rendered', nodes: 9, edges: 10 });
    expect(await page.evaluate(() => document.body.dataset.layoutWorker)).toBe('url');
    await checkClean(probe);
    await page.screenshot({ path: join(OUT, 'shop.png') });
    await page.close();
  });

  it('starts the worker from a blob, as inside VS Code, and draws the same picture', async () => {
    const probe = await openDiagram(SHOP, '?worker=blob');
    expect(await probe.page.evaluate(() => document.body.dataset.layoutWorker)).toBe('blob');
    expect(await probe.page.locator('g.node').count()).toBe(9);
    await checkClean(probe);
    await probe.page.close();
  });

  it('posts reveal when a node is clicked, and highlights the node the host names', async () => {
    const probe = await openDiagram(SHOP);
    const { page } = probe;
    await page.locator('g.node[data-id="db"]').click();
    expect((await posted(probe)).filter((m) => m.type === 'reveal')).toEqual([{ type: 'reveal', component: 'db' }]);
    expect(await page.locator('g.node.selected').getAttribute('data-id')).toBe('db');

    await page.evaluate(() =>
      (window as unknown as { archlintHarness: { highlight(c: string): void } }).archlintHarness.highlight('catalog'),
    );
    await page.waitForSelector('g.node.highlight[data-id="catalog"]');
    expect(await page.locator('g.node.highlight').count()).toBe(1);
    await page.close();
  });

  it('fails a component on request: the host recomputes, the entry points it takes down are marked, the numbers change', async () => {
    // The size of the README's picture (docs/images/diagram.png is a copy of what-if.png).
    const probe = await openDiagram(SHOP, '', { width: 1100, height: 470 });
    const { page } = probe;
    const before = await entryText(page, 'edge');

    // One payment provider down: the any-of group still has the other, so no blast radius, but less availability.
    await page.locator('g.node[data-id="payments-eu"]').click({ button: 'right' });
    await waitForRenders(probe, 2);
    expect((await posted(probe)).filter((m) => m.type === 'toggleFail')).toEqual([
      { type: 'toggleFail', component: 'payments-eu' },
    ]);
    expect(await page.locator('g.node.failed').getAttribute('data-id')).toBe('payments-eu');
    expect(await page.locator('g.node.blast').count()).toBe(0);
    const degraded = await entryText(page, 'edge');
    expect(degraded).not.toBe(before);

    // The database too, through the toolbar: it is required, so the entry point goes down.
    await page.locator('g.node[data-id="db"]').click();
    await page.locator('vscode-toolbar-button[data-action="toggle-fail"]').click();
    await waitForRenders(probe, 3);
    expect(await page.locator('g.node.failed').evaluateAll((n) => n.map((e) => (e as SVGGElement).dataset.id).sort())).toEqual([
      'db',
      'payments-eu',
    ]);
    expect(await page.locator('g.node.blast').evaluateAll((n) => n.map((e) => (e as SVGGElement).dataset.id))).toEqual(['edge']);
    expect(await entryText(page, 'edge')).toMatch(/^entry 0%/);
    expect(await page.locator('g.node[data-id="catalog"].down').count()).toBe(1);
    expect(await page.locator('path.edge.to-failed[data-to="db"]').count()).toBe(2);
    await page.screenshot({ path: join(OUT, 'what-if.png') });

    await page.locator('vscode-toolbar-button[data-action="reset-failures"]').click();
    await waitForRenders(probe, 4);
    expect(await page.locator('g.node.failed').count()).toBe(0);
    expect(await entryText(page, 'edge')).toBe(before);
    await checkClean(probe);
    await page.close();
  });

  it('keeps pan and zoom across updates and after a reload (state)', async () => {
    const probe = await openDiagram(SHOP);
    const { page } = probe;
    const scale = async () =>
      Number(/scale\(([\d.]+)\)/.exec(await page.locator('.stage').evaluate((s) => (s as HTMLElement).style.transform))![1]);
    const fitted = await scale();
    await page.locator('vscode-toolbar-button[data-action="zoom-in"]').click();
    expect(await scale()).toBeCloseTo(fitted * 1.25, 4);
    await page.mouse.move(600, 400);
    await page.mouse.down();
    await page.mouse.move(500, 350, { steps: 5 });
    await page.mouse.up();
    const transform = await page.locator('.stage').evaluate((s) => (s as HTMLElement).style.transform);
    expect(transform).toMatch(/^translate\(/);

    await page.evaluate(
      (t) => (window as unknown as { archlintHarness: { load(t: string): void } }).archlintHarness.load(t),
      SHOP.replace('replicas: 3', 'replicas: 4'),
    );
    await waitForRenders(probe, 2);
    expect(await page.locator('g.node[data-id="web"] text.line.detail').textContent()).toBe('service · ×4');
    expect(await page.locator('.stage').evaluate((s) => (s as HTMLElement).style.transform)).toBe(transform);

    await page.reload();
    await page.evaluate(
      (t) => (window as unknown as { archlintHarness: { load(t: string): void } }).archlintHarness.load(t),
      SHOP,
    );
    await waitForRenders(probe, 1);
    expect(await page.locator('.stage').evaluate((s) => (s as HTMLElement).style.transform)).toBe(transform);
    await page.close();
  });

  it('follows the VS Code theme through its CSS variables', async () => {
    const fill = (probe: PageProbe) =>
      probe.page.locator('g.node[data-id="web"] rect.box').evaluate((r) => getComputedStyle(r).fill);
    const light = await openDiagram(SHOP);
    expect(await fill(light)).toBe('rgb(248, 248, 248)');
    await light.page.close();
    const dark = await openDiagram(SHOP, '?theme=dark');
    expect(await fill(dark)).toBe('rgb(32, 32, 32)');
    await dark.page.locator('g.node[data-id="db"]').click({ button: 'right' });
    await waitForRenders(dark, 2);
    await dark.page.screenshot({ path: join(OUT, 'what-if-dark.png') });
    await dark.page.close();
  });

  it('exports a standalone SVG and Mermaid text through the host', async () => {
    const probe = await openDiagram(SHOP);
    const { page } = probe;
    await page.locator('vscode-toolbar-button[data-action="export-svg"]').click();
    await page.locator('vscode-toolbar-button[data-action="copy-mermaid"]').click();
    const messages = await posted(probe);
    const svg = messages.find((m) => m.type === 'exportSvg');
    const mermaid = messages.find((m) => m.type === 'copyMermaid');
    expect(svg && 'svg' in svg && svg.svg).toMatch(/^<svg [^>]*class="archlint-diagram"[^>]*><style>/);
    expect(mermaid && 'text' in mermaid && mermaid.text).toMatch(/^flowchart LR\n/);
    await page.close();
  });

  it('draws 600 components with the simplified layout and says so', async () => {
    const text =
      'archlint: 1\ncomponents:\n  lb: { kind: load-balancer, entry: true, replicas: 2, routes-to: [s0, s1] }\n' +
      Array.from(
        { length: 599 },
        (_, i) => `  s${i}: { kind: service, replicas: 2${2 * i + 2 < 599 ? `, depends-on: [s${2 * i + 2}]` : ''} }\n`,
      ).join('');
    const probe = await openDiagram(text);
    expect(await probe.page.locator('g.node').count()).toBe(600);
    expect(await probe.page.locator('.status').textContent()).toMatch(/^600 components: simplified layout/);
    await checkClean(probe);
    await probe.page.close();
  });

  it('draws a hostile name as text: no script runs, no element is injected', async () => {
    const probe = await openDiagram(HOSTILE);
    const { page } = probe;
    expect(await page.locator('g.node').count()).toBe(3);
    expect(await page.locator('g.node').evaluateAll((n) => n.map((e) => (e as SVGGElement).dataset.id))).toContain(HOSTILE_NAME);
    expect(await page.locator(`g.node[data-id="${HOSTILE_NAME.replace(/"/g, '\\"')}"] text.title`).textContent()).toBe(
      HOSTILE_NAME,
    );
    expect(
      await page.evaluate(() => document.querySelectorAll('img, script:not([src]), [onerror], [onload], foreignObject').length),
    ).toBe(0);
    // Give any injected handler the chance to fire before concluding none did.
    await page.waitForTimeout(300);
    expect(probe.dialogs).toEqual([]);
    await checkClean(probe);
    await page.close();
  });
});

/** What the page shows, measured in the browser: the scale the drawing has on screen, and its label text. */
interface Geometry {
  /** On-screen width of the SVG over its own width: the zoom the user sees. */
  scale: number;
  /** The node labels' (component names') font size in the SVG, and as rendered on screen. */
  labelFontPx: number;
  renderedLabelPx: number;
  /** The smallest on-screen height of a label's box. */
  smallestLabelBoxPx: number;
  drawing: { left: number; top: number; right: number; bottom: number };
  viewport: { left: number; top: number; right: number; bottom: number };
}

const geometry = (page: Page): Promise<Geometry> =>
  page.evaluate(() => {
    const box = (r: DOMRect) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const svg = document.querySelector('.stage svg')!;
    const drawn = svg.getBoundingClientRect();
    const scale = drawn.width / Number(svg.getAttribute('width'));
    const labels = [...document.querySelectorAll('g.node text.title')];
    const labelFontPx = parseFloat(getComputedStyle(labels[0]!).fontSize);
    return {
      scale,
      labelFontPx,
      renderedLabelPx: labelFontPx * scale,
      smallestLabelBoxPx: Math.min(...labels.map((l) => l.getBoundingClientRect().height)),
      drawing: box(drawn),
      viewport: box(document.querySelector('.viewport')!.getBoundingClientRect()),
    };
  });

const scaleOf = async (page: Page) => (await geometry(page)).scale;

/** Whether the node of `id` is entirely inside the viewport, as drawn on screen. */
const inView = (page: Page, id: string): Promise<boolean> =>
  page.evaluate((nodeId) => {
    const node = [...document.querySelectorAll<SVGGElement>('g.node')].find((n) => n.dataset.id === nodeId)!;
    const r = node.getBoundingClientRect();
    const v = document.querySelector('.viewport')!.getBoundingClientRect();
    const slack = 0.5;
    return r.left >= v.left - slack && r.right <= v.right + slack && r.top >= v.top - slack && r.bottom <= v.bottom + slack;
  }, id);

/** A binary tree of `count` components behind one load balancer: wide and tall at once. */
function tree(count: number): string {
  const lines = [
    'archlint: 1',
    'components:',
    '  lb: { kind: load-balancer, entry: true, replicas: 2, routes-to: [service-0, service-1] }',
  ];
  for (let i = 0; i < count - 1; i++) {
    const children = [2 * i + 2, 2 * i + 3].filter((c) => c < count - 1).map((c) => `service-${c}`);
    lines.push(
      `  service-${i}: { kind: service, replicas: 2${children.length ? `, depends-on: [${children.join(', ')}]` : ''} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A half-width editor panel. */
const HALF_PANEL = { width: 600, height: 700 };

describe('the diagram opens legible: Fit never shrinks names below the editor font size (issue 13)', () => {
  for (const editorPx of [13, 16]) {
    it(`shows the 9-component shop in a half-width panel with names at least ${editorPx} px, on opening and after Fit`, async () => {
      const probe = await openDiagram(SHOP, `?editor-font-size=${editorPx}`, HALF_PANEL);
      const { page } = probe;
      const opened = await geometry(page);
      console.log(
        `shop in ${HALF_PANEL.width}x${HALF_PANEL.height}, editor ${editorPx} px: names ${opened.renderedLabelPx.toFixed(2)} px ` +
          `(font ${opened.labelFontPx} px × scale ${opened.scale.toFixed(3)}), label box ${opened.smallestLabelBoxPx.toFixed(2)} px high`,
      );
      expect(opened.renderedLabelPx).toBeGreaterThanOrEqual(editorPx - 0.01);
      expect(opened.smallestLabelBoxPx).toBeGreaterThanOrEqual(editorPx);
      // Held at the legible scale, the drawing is wider than the panel, so it starts at the panel's left edge.
      expect(opened.drawing.right - opened.drawing.left).toBeGreaterThan(opened.viewport.right - opened.viewport.left);
      expect(opened.drawing.left).toBeCloseTo(opened.viewport.left, 1);
      // It is not taller than the panel (at 16 px either), so it stays centred from top to bottom.
      expect(opened.drawing.bottom - opened.drawing.top).toBeLessThan(opened.viewport.bottom - opened.viewport.top);
      expect((opened.drawing.top + opened.drawing.bottom) / 2).toBeCloseTo((opened.viewport.top + opened.viewport.bottom) / 2, 0);

      // The user may zoom out below it; Fit brings the names back to the editor's size.
      await page.locator('vscode-toolbar-button[data-action="zoom-out"]').click();
      await page.locator('vscode-toolbar-button[data-action="zoom-out"]').click();
      expect((await geometry(page)).renderedLabelPx).toBeLessThan(editorPx);
      await page.locator('vscode-toolbar-button[data-action="fit"]').click();
      const fitted = await geometry(page);
      expect(fitted.scale).toBeCloseTo(opened.scale, 4);
      expect(fitted.drawing.left).toBeCloseTo(opened.drawing.left, 1);
      expect(fitted.drawing.top).toBeCloseTo(opened.drawing.top, 1);
      await page.screenshot({ path: join(OUT, `shop-half-panel-${editorPx}px.png`) });
      await checkClean(probe);
      await page.close();
    });
  }

  it('takes 13 px for the editor font size where the page has none (outside VS Code)', async () => {
    const probe = await openDiagram(SHOP, '?editor-font-size=none', HALF_PANEL);
    const opened = await geometry(probe.page);
    expect(opened.renderedLabelPx).toBeCloseTo(13, 2);
    await checkClean(probe);
    await probe.page.close();
  });

  it('still fits a small diagram entirely, enlarged no more than before', async () => {
    const probe = await openDiagram(
      'archlint: 1\ncomponents:\n  web: { kind: service, entry: true, replicas: 2, depends-on: [db] }\n  db: { kind: database, replicas: 2 }\n',
      '',
      HALF_PANEL,
    );
    const { drawing, viewport, scale } = await geometry(probe.page);
    expect(drawing.left).toBeGreaterThanOrEqual(viewport.left);
    expect(drawing.right).toBeLessThanOrEqual(viewport.right);
    expect(drawing.top).toBeGreaterThanOrEqual(viewport.top);
    expect(drawing.bottom).toBeLessThanOrEqual(viewport.bottom);
    // Fit's largest enlargement, 1.5 with its 4 % margin; centred.
    expect(scale).toBeCloseTo(1.5 * 0.96, 4);
    expect((drawing.left + drawing.right) / 2).toBeCloseTo((viewport.left + viewport.right) / 2, 0);
    expect((drawing.top + drawing.bottom) / 2).toBeCloseTo((viewport.top + viewport.bottom) / 2, 0);
    await checkClean(probe);
    await probe.page.close();
  });

  it('opens a 60-component graph legible, and the wheel or the keyboard brings every component into view', async () => {
    const probe = await openDiagram(tree(60), '', HALF_PANEL);
    const { page } = probe;
    const ids = await page.locator('g.node').evaluateAll((nodes) => nodes.map((n) => (n as SVGGElement).dataset.id!));
    expect(ids).toHaveLength(60);
    const opened = await geometry(page);
    expect(opened.renderedLabelPx).toBeGreaterThanOrEqual(14 - 0.01);
    expect(opened.drawing.right - opened.drawing.left).toBeGreaterThan(opened.viewport.right - opened.viewport.left);
    expect(opened.drawing.bottom - opened.drawing.top).toBeGreaterThan(opened.viewport.bottom - opened.viewport.top);
    expect(opened.drawing.left).toBeCloseTo(opened.viewport.left, 1);
    expect(opened.drawing.top).toBeCloseTo(opened.viewport.top, 1);
    const hidden = [];
    for (const id of ids) if (!(await inView(page, id))) hidden.push(id);
    expect(hidden.length).toBeGreaterThan(ids.length / 2);

    // The wheel scrolls (it does not zoom), and stops where the drawing ends, as a scroll area does.
    await page.mouse.move(300, 400);
    await page.mouse.wheel(100_000, 100_000);
    await expect.poll(async () => (await geometry(page)).drawing.bottom).toBeCloseTo(opened.viewport.bottom, 1);
    const end = await geometry(page);
    expect(end.scale).toBeCloseTo(opened.scale, 6);
    expect(end.drawing.right).toBeCloseTo(end.viewport.right, 1);
    await page.mouse.wheel(-100_000, -100_000);
    await expect.poll(async () => (await geometry(page)).drawing.top).toBeCloseTo(opened.viewport.top, 1);
    expect((await geometry(page)).drawing.left).toBeCloseTo(opened.viewport.left, 1);

    // Every component, wheeled to.
    for (const id of hidden) {
      const [dx, dy] = await page.evaluate((nodeId) => {
        const node = [...document.querySelectorAll<SVGGElement>('g.node')].find((n) => n.dataset.id === nodeId)!;
        const r = node.getBoundingClientRect();
        const v = document.querySelector('.viewport')!.getBoundingClientRect();
        return [r.left + r.width / 2 - (v.left + v.width / 2), r.top + r.height / 2 - (v.top + v.height / 2)];
      }, id);
      await page.mouse.wheel(dx, dy);
      await expect.poll(() => inView(page, id), { message: id }).toBe(true);
    }

    // A click on a component half out of view leaves the view where it is: every drag starts with one.
    await page.locator('vscode-toolbar-button[data-action="fit"]').click();
    const rectOf = (id: string) =>
      page.evaluate((nodeId) => {
        const node = [...document.querySelectorAll<SVGGElement>('g.node')].find((n) => n.dataset.id === nodeId)!;
        const r = node.getBoundingClientRect();
        const v = document.querySelector('.viewport')!.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top - v.top, bottom: r.bottom - v.top };
      }, id);
    const shown = await rectOf('service-2');
    const hideTop = 20;
    await page.mouse.move(300, 400);
    await page.mouse.wheel(0, shown.top + hideTop);
    await expect.poll(async () => (await rectOf('service-2')).top).toBeCloseTo(-hideTop, 1);
    const cut = await rectOf('service-2');
    const before = await geometry(page);
    await page.mouse.click((cut.left + cut.right) / 2, opened.viewport.top + cut.bottom / 2);
    // Two frames: a scroll the browser made for the click's focus would have been folded into the view by now.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect((await geometry(page)).drawing).toEqual(before.drawing);
    expect(await page.locator('.viewport').evaluate((v) => [v.scrollLeft, v.scrollTop])).toEqual([0, 0]);
    expect((await posted(probe)).filter((m) => m.type === 'reveal').at(-1)).toEqual({ type: 'reveal', component: 'service-2' });

    // Every component, tabbed to: the focused one is moved into view, and the viewport's own scroll ends up as a pan.
    await page.locator('vscode-toolbar-button[data-action="fit"]').click();
    await page.locator('g.node').first().focus();
    for (let i = 0; i < ids.length; i++) {
      if (i > 0) await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset.id);
      expect(focused).toBe(ids[i]);
      // The browser's own scroll to a focused node arrives as a scroll event a frame later, folded into the pan.
      await expect.poll(() => page.locator('.viewport').evaluate((v) => [v.scrollLeft, v.scrollTop])).toEqual([0, 0]);
      expect(await inView(page, ids[i]!), ids[i]).toBe(true);
    }

    // Zooming out is the user's to do, below the legible size too: Ctrl with the wheel (a pinch on a trackpad).
    await page.mouse.move(300, 400);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 400);
    await page.keyboard.up('Control');
    await expect.poll(() => scaleOf(page)).toBeLessThan(opened.scale * 0.7);
    await page.screenshot({ path: join(OUT, 'tree-60.png') });
    await checkClean(probe);
    await page.close();
  });
});

/** Ids with a line break, a tab, a NUL and an escape sequence (audit D6, D8). */
const CONTROL_IDS = ['multi\nline', 'tab\tbed', 'nul\0x', 'esc\x1b[31m'];
const CONTROL = `archlint: 1
components:
  "multi\\nline": { kind: service, entry: true, replicas: 2, depends-on: ["tab\\tbed", "nul\\0x", "esc\\x1b[31m"] }
  "tab\\tbed": { kind: service, replicas: 2 }
  "nul\\0x": { kind: database, replicas: 2 }
  "esc\\x1b[31m": { kind: cache, replicas: 2 }
`;

describe('names with control characters in Chromium', () => {
  it('draws them written out, and a click or a what-if posts the exact id', async () => {
    const probe = await openDiagram(CONTROL);
    const { page } = probe;
    expect(await page.locator('.status').textContent()).toBe('4 components');
    const titles = await page.locator('g.node text.title').allTextContents();
    expect(titles.sort()).toEqual(['esc\\x1b[31m', 'multi\\nline', 'nul\\x00x', 'tab\\tbed']);
    const node = (shown: string) => page.locator('g.node').filter({ has: page.locator('text.title', { hasText: shown }) });
    for (const [i, shown] of ['multi\\nline', 'tab\\tbed', 'nul\\x00x', 'esc\\x1b[31m'].entries()) {
      await node(shown).click();
      const reveals = (await posted(probe)).filter((m) => m.type === 'reveal');
      expect(reveals.at(-1)).toEqual({ type: 'reveal', component: CONTROL_IDS[i] });
    }
    // The host knows the id it is sent: it fails that very component, and the page marks it.
    await node('nul\\x00x').click({ button: 'right' });
    await waitForRenders(probe, 2);
    expect((await posted(probe)).filter((m) => m.type === 'toggleFail')).toEqual([{ type: 'toggleFail', component: 'nul\0x' }]);
    expect(await node('nul\\x00x').getAttribute('class')).toMatch(/\bfailed\b/);
    await node('tab\\tbed').focus();
    await page.keyboard.press('f');
    await waitForRenders(probe, 3);
    expect((await posted(probe)).filter((m) => m.type === 'toggleFail').at(-1)).toEqual({
      type: 'toggleFail',
      component: 'tab\tbed',
    });
    expect(await page.locator('g.node.failed').count()).toBe(2);
    await checkClean(probe);
    await page.close();
  });

  it('parses the SVG of every hostile name as XML', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/blank.html`);
    const { renderSvg, layout, snapshotToElk, snapshotOfLint } = await import('../../extension/src/diagram');
    const { lint } = await import('../../extension/src/engine');
    const svg = renderSvg(await layout(snapshotToElk(snapshotOfLint(lint(CONTROL))!)), { standalone: true });
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { root: doc.documentElement.nodeName, errors: doc.getElementsByTagName('parsererror').length };
    }, svg);
    expect(parsed).toEqual({ root: 'svg', errors: 0 });
    await page.close();
  });
});

describe('a layout that takes too long, or a worker that answers wrongly (audit D4, D12)', () => {
  it('draws the simplest layout with a note when the layout runs past its budget', async () => {
    const probe = await openDiagram(SHOP, '?budget=1');
    const { page } = probe;
    expect(await page.locator('g.node').count()).toBe(9);
    expect(await page.locator('text.layout-note').textContent()).toBe(
      'Simplest layout: the layered layout did not finish within 1 ms',
    );
    expect(await page.locator('.status').textContent()).toBe('9 components: simplest layout');
    expect(await page.locator('.status').getAttribute('title')).toBe(
      'Simplest layout: the layered layout did not finish within 1 ms',
    );
    // The next edit does not wait out the budget again: the same picture at once.
    await page.evaluate(
      (t) => (window as unknown as { archlintHarness: { load(t: string): void } }).archlintHarness.load(t),
      SHOP.replace('replicas: 3', 'replicas: 4'),
    );
    await waitForRenders(probe, 2);
    expect(await page.locator('text.layout-note').count()).toBe(1);
    await checkClean(probe);
    await page.close();
  });

  it('does not hang on a worker that never answers', async () => {
    const probe = await openDiagram(SHOP, '?worker-script=silent&budget=500');
    expect(await probe.page.locator('g.node').count()).toBe(9);
    expect(await probe.page.locator('text.layout-note').textContent()).toBe(
      'Simplest layout: the layered layout did not finish within 500 ms',
    );
    await checkClean(probe);
    await probe.page.close();
  });

  for (const kind of ['malformed', 'long-error']) {
    it(`refuses a worker's ${kind} answer: nothing of it is drawn, and the error it reports is bounded`, async () => {
      const probe = await openDiagram(SHOP, `?worker-script=${kind}`, undefined, 0);
      const { page } = probe;
      await page.waitForFunction(() =>
        (window as unknown as { archlintHarness: { posted: { type: string }[] } }).archlintHarness.posted.some(
          (m) => m.type === 'error',
        ),
      );
      expect((await posted(probe)).filter((m) => m.type === 'error')).toEqual([
        { type: 'error', message: 'layout failed: the layout worker sent a malformed answer' },
      ]);
      expect(await page.locator('.status').textContent()).toBe('Layout failed: the layout worker sent a malformed answer');
      expect(await page.locator('g.node').count()).toBe(0);
      expect(await page.evaluate(() => document.querySelectorAll('img, [onerror], b').length)).toBe(0);
      expect(probe.dialogs).toEqual([]);
      await checkClean(probe);
      await page.close();
    });
  }
});

describe('Mermaid text in Chromium', () => {
  it('parses and renders with mermaid, hostile names included, as text', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${server.origin}/blank.html`);
    await page.addScriptTag({ url: `${server.origin}/mermaid/mermaid.min.js` });
    const { toMermaid, buildSnapshot } = await import('../../extension/src/diagram');
    const { lint } = await import('../../extension/src/engine');
    const texts = [SHOP, HOSTILE, CONTROL].map((t) => {
      const r = lint(t);
      return toMermaid(buildSnapshot({ model: r.model!, graph: r.graph!, findings: r.findings, availability: r.availability }));
    });
    const results = await page.evaluate(async (sources) => {
      const mermaid = (
        window as unknown as {
          mermaid: { initialize(c: object): void; render(id: string, text: string): Promise<{ svg: string }> };
        }
      ).mermaid;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const out: { svg: string; labels: string }[] = [];
      for (const [i, source] of sources.entries()) {
        const { svg } = await mermaid.render(`diagram${i}`, source);
        const host = document.getElementById('out')!;
        host.innerHTML = svg;
        out.push({ svg, labels: host.textContent ?? '' });
      }
      return out;
    }, texts);
    expect(results[0]!.labels).toContain('payments-eu');
    expect(results[0]!.labels).toContain('any of');
    expect(results[1]!.labels).toContain(HOSTILE_NAME);
    expect(results[1]!.labels).toContain('a&b #1 `x`');
    expect(results[2]!.labels).toContain('multi\\nline');
    expect(results[2]!.labels).toContain('esc\\x1b[31m');
    expect(await page.evaluate(() => document.querySelectorAll('#out img, #out [onerror], #out [onload]').length)).toBe(0);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(OUT, 'mermaid.png'), fullPage: true });
    await page.close();
  });
});

it('has Chromium installed where the tests expect it', () => {
  expect(existsSync(CHROMIUM)).toBe(true);
});
