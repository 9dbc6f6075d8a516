// UI checks on the real workbench in Chromium: what a user sees, read from the DOM. A squiggle
// on the flagged line, the finding in the Problems panel, the diagram's SVG inside its webview
// (an iframe in an iframe), and a click on a node revealing the component in the editor.
// Screenshots go to test/e2e/output/ (CI artifacts).
/* global document, setTimeout */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { root } from './prepare.mjs';

const SAMPLE = 'shop.arch.yaml';
const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';
/**
 * How long a wait may take before it fails: a bound, not a delay (every wait ends as soon as
 * its state is there). A fresh window starts its own extension host before the first squiggle,
 * and the machine is shared, so the bound is generous.
 */
const WAIT_MS = 120_000;

async function poll(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
      last = value;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last: ${String(last).slice(0, 300)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Types `value` into the quick input `key` opens and accepts the row that shows `rowText`, once
 * that row is the focused one: Enter accepts the focused row, and the list fills in as results
 * come (a recent entry may be on top until the search answers).
 */
async function pickInQuickInput(page, key, value, rowText) {
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(value);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).first().waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Runs a workbench command through the command palette, by its title. */
async function runCommand(page, title) {
  await pickInQuickInput(page, 'F1', `>${title}`, title);
}

/** The editor tab of the file `name` (exactly that name: a copy's tab may end with it too). */
function tabOf(page, name, active = false) {
  return page.locator(`.tabs-container .tab${active ? '.active' : ''}`, { has: page.getByText(name, { exact: true }) });
}

/** Opens a workspace file through Quick Open, as a user would, and waits until its editor is the active one. */
async function openFile(page, name) {
  await pickInQuickInput(page, `${mod}+P`, name, name);
  await tabOf(page, name, true).first().waitFor({ timeout: WAIT_MS });
}

/** Moves the cursor to `line` with Go to Line and waits until the status bar says it is there. */
async function goToLine(page, line) {
  await page.keyboard.press(`${mod}+G`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(`:${line}`);
  // Enter goes to the focused item's line: wait until the item is the one for this line (before,
  // the item is the prompt for an empty ":", and Enter does nothing).
  await page
    .locator(`.quick-input-list .monaco-list-row.focused[aria-label^="Go to line ${line},"]`)
    .waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: WAIT_MS });
  await poll(`the cursor on line ${line}`, async () => ((await cursorLine(page)) === line ? true : undefined));
}

/**
 * The 1-based line numbers the visible editor draws (`shown`) and those of them that carry a
 * squiggle of `className` (`squiggled`), read from one frame of the DOM.
 */
async function squiggledLines(page, className) {
  return page.evaluate((cls) => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return { shown: [], squiggled: [] };
    const lineAt = new Map();
    for (const row of editor.querySelectorAll('.margin-view-overlays > div')) {
      const number = row.querySelector('.line-numbers')?.textContent?.trim();
      if (number) lineAt.set(row.style.top, Number(number));
    }
    const lines = new Set();
    for (const squiggle of editor.querySelectorAll(`.view-overlays .${cls}`)) {
      const line = lineAt.get(squiggle.parentElement?.style.top ?? '');
      if (line) lines.add(line);
    }
    return { shown: [...lineAt.values()], squiggled: [...lines].sort((a, b) => a - b) };
  }, className);
}

/** Whether a hover or tooltip of the workbench is on screen (a screenshot should show none). */
async function hoverShown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.monaco-hover, .workbench-hover, .workbench-hover-container')].some(
      (el) => !el.classList.contains('hidden') && el.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
    ),
  );
}

/** The frame whose document holds the diagram's SVG (webviews nest an iframe in an iframe). */
async function diagramFrame(page) {
  return poll('the diagram webview to render an SVG with nodes', async () => {
    for (const frame of page.frames()) {
      const count = await frame.evaluate(() => document.querySelectorAll('svg g.node').length).catch(() => 0);
      if (count > 0) return frame;
    }
    return undefined;
  });
}

/** The cursor line (1-based) from the status bar's "Ln X, Col Y". */
async function cursorLine(page) {
  const text = await page.locator('.statusbar-item[id$="status.editor.selection"]').first().innerText({ timeout: 5_000 });
  const match = /Ln (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Runs the UI checks against a running code-server. Each check is independent where it can be;
 * a failed step is reported with what was seen.
 * @returns {Promise<{ checks: { name: string, ok: boolean, detail?: string }[] }>}
 */
export async function runUiChecks(
  browser,
  server,
  { workspace, outputDir, expectations, readmeScreenshot, extensionDevelopmentPath },
) {
  mkdirSync(outputDir, { recursive: true });
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push({ name, ok: true });
    } catch (error) {
      checks.push({
        name,
        ok: false,
        detail: String(error?.message ?? error)
          .split('\n')
          .slice(0, 8)
          .join('\n      '),
      });
    }
  };
  const shot = (page, name) => page.screenshot({ path: join(outputDir, name) }).catch(() => undefined);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    const findings = expectations.samples[SAMPLE].messages;
    const errorFinding = findings.find((m) => m.severity === 2);
    const text = readFileSync(join(workspace, SAMPLE), 'utf8');

    let workbenchReady = false;
    await check('the workbench loads', async () => {
      const payload = extensionDevelopmentPath
        ? `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', extensionDevelopmentPath]]))}`
        : '';
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}${payload}`, { timeout: 60_000 });
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
      await page
        .locator('.explorer-folders-view, .explorer-viewlet')
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(() => undefined);
      workbenchReady = true;
    });
    if (!workbenchReady) return { checks };

    await check(`a squiggle marks the flagged line of ${SAMPLE}`, async () => {
      if (!errorFinding) throw new Error(`${SAMPLE} has no error finding to look for`);
      await openFile(page, SAMPLE);
      // Put the flagged line in view (Go to Line), then read the squiggles' line numbers off the DOM
      // once the editor draws that line and the squiggles: the workbench decorates every marker of a
      // file at once, so a frame with one squiggle has all of them.
      await goToLine(page, errorFinding.line);
      const { squiggled: lines } = await poll(`the flagged line ${errorFinding.line} in view, and a squiggle`, async () => {
        const l = await squiggledLines(page, 'squiggly-error');
        return l.shown.includes(errorFinding.line) && l.squiggled.length > 0 ? l : undefined;
      });
      await shot(page, 'workbench-squiggle.png');
      const errorLines = findings.filter((m) => m.severity === 2).map((m) => m.line);
      if (!lines.includes(errorFinding.line))
        throw new Error(`squiggles on lines ${lines.join(', ')}, the CLI flags line ${errorFinding.line}`);
      const unexpected = lines.filter((l) => !findings.some((m) => m.severity === 2 && m.line <= l && l <= m.endLine));
      if (unexpected.length > 0)
        throw new Error(
          `error squiggles on lines ${unexpected.join(', ')} that the CLI does not flag (${errorLines.join(', ')})`,
        );
    });

    await check('the Problems panel lists the findings', async () => {
      await page.keyboard.press(`${mod}+Shift+M`);
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ timeout: WAIT_MS });
      await poll('every finding of the sample in the Problems panel', async () => {
        const shown = await panel.innerText();
        return findings.every((m) => shown.includes(m.message) && shown.includes(m.ruleId)) ? true : shown.slice(0, 400);
      }).then((v) => {
        if (v !== true) throw new Error(`the panel shows: ${v}`);
      });
      await shot(page, 'workbench-problems.png');
    });

    let frame;
    await check('the diagram webview renders its SVG inside its iframe', async () => {
      // Room for the diagram: close the panel and the side bar.
      await page.keyboard.press(`${mod}+J`).catch(() => undefined);
      await page.keyboard.press(`${mod}+B`).catch(() => undefined);
      await tabOf(page, SAMPLE).first().click();
      // The command draws the active editor's file: that must be the sample's.
      await tabOf(page, SAMPLE, true).first().waitFor({ timeout: WAIT_MS });
      await runCommand(page, 'Open Diagram to the Side');
      frame = await diagramFrame(page);
      const count = await frame.evaluate(() => document.querySelectorAll('svg g.node').length);
      const wanted = Object.keys(parse(text).components ?? {}).length; // one node per component
      if (count !== wanted) throw new Error(`the SVG has ${count} nodes, the sample has ${wanted} components`);
      // No tooltip or hover in the picture: the mouse rests on the status bar's empty middle, and
      // the picture is taken once no hover is on screen.
      await page.mouse.move(640, 790);
      await poll('no hover on screen', async () => ((await hoverShown(page)) ? undefined : true));
      await shot(page, 'workbench-diagram.png');
      if (readmeScreenshot) {
        mkdirSync(join(root, 'docs', 'images'), { recursive: true });
        copyFileSync(join(outputDir, 'workbench-diagram.png'), join(root, 'docs', 'images', 'workbench.png'));
      }
    });

    await check('clicking a node reveals the component in the editor', async () => {
      if (!frame) throw new Error('no diagram to click');
      const target = 'checkout';
      const wantedLine = text.split('\n').findIndex((l) => l === `  ${target}:`) + 1;
      await frame.locator(`svg g.node[data-id="${target}"]`).click({ timeout: WAIT_MS });
      const line = await poll(`the cursor on line ${wantedLine}`, async () => {
        const l = await cursorLine(page);
        return l === wantedLine ? l : undefined;
      });
      if (line !== wantedLine) throw new Error(`cursor on line ${line}, ${target} is on line ${wantedLine}`);
      await shot(page, 'workbench-reveal.png');
    });
  } finally {
    await context.close().catch(() => undefined);
  }
  return { checks };
}
