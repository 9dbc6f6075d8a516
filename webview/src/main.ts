/**
 * The diagram webview: receives snapshots from the host, lays them out in the worker, draws
 * the SVG, and turns clicks into messages. It computes nothing about the architecture: what-if
 * answers come from the host's engine; this page only draws them.
 */
import '@vscode-elements/elements/dist/vscode-toolbar-container/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import {
  graphSize,
  LAYOUT_BUDGET_MS,
  simpleLayoutNote,
  snapshotToElk,
  type DiagramElkGraph,
  type GraphSize,
} from '../../extension/src/diagram/elkGraph';
import { readDataAttribute } from '../../extension/src/diagram/escape';
import { toMermaid } from '../../extension/src/diagram/mermaid';
import { renderSvg } from '../../extension/src/diagram/render';
import { simpleLayout } from '../../extension/src/diagram/simpleLayout';
import type { DiagramSnapshot } from '../../extension/src/engine';
import {
  clipText,
  isHostToWebview,
  isWebviewState,
  type HostToWebview,
  type WebviewState,
  type WebviewToHost,
} from '../../extension/src/protocol';
import { LayoutClient, LayoutTimeout } from './layoutClient';
import { installStyles } from './styles';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
const state: WebviewState = isWebviewState(saved) ? saved : { direction: 'RIGHT' };
const post = (message: WebviewToHost): void => vscode.postMessage(message);
const saveState = (): void => vscode.setState(state);

installStyles(document);
const body = document.body;
const layoutClient = new LayoutClient(body.dataset.workerUri ?? '', body.dataset.workerMode === 'blob' ? 'blob' : 'auto');
/** ELK's time budget in the worker; a page may set another with `data-layout-budget` (the tests do). */
const layoutBudgetMs = Number(body.dataset.layoutBudget) > 0 ? Number(body.dataset.layoutBudget) : LAYOUT_BUDGET_MS;

// ---- page ------------------------------------------------------------------------------------
function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram' });
const group = (...children: HTMLElement[]) => {
  const container = element('vscode-toolbar-container');
  container.append(...children);
  return container;
};
const button = (action: string, text: string, label: string) => {
  const b = element('vscode-toolbar-button', { 'data-action': action, label, title: label }, text);
  return b;
};
const directionButton = button('direction', '', 'Layout direction');
const failButton = button(
  'toggle-fail',
  'Fail selected',
  'Fail or restore the selected component (what-if); right-click a node does the same',
);
const status = element('span', { class: 'status', role: 'status' });
toolbar.append(
  group(
    button('fit', 'Fit', 'Fit to window'),
    button('zoom-out', '−', 'Zoom out'),
    button('zoom-in', '+', 'Zoom in'),
    directionButton,
  ),
  element('span', { class: 'separator' }),
  group(failButton, button('reset-failures', 'Reset what-if', 'Bring every failed component back')),
  element('span', { class: 'separator' }),
  group(
    button('export-svg', 'Export SVG', 'Save the diagram as an SVG file'),
    button('copy-mermaid', 'Copy Mermaid', 'Copy the diagram as Mermaid text'),
  ),
  status,
);
const viewport = element('div', { class: 'viewport' });
const stage = element('div', { class: 'stage' });
const empty = element('div', { class: 'empty' }, 'Waiting for the architecture…');
viewport.append(stage, empty);
body.append(toolbar, viewport);

function setStatus(text: string, kind: '' | 'warning' | 'error' = ''): void {
  status.textContent = text;
  status.className = `status${kind ? ` ${kind}` : ''}`;
}
const updateDirectionButton = () => (directionButton.textContent = state.direction === 'RIGHT' ? 'Layout →' : 'Layout ↓');
updateDirectionButton();

// ---- pan and zoom ----------------------------------------------------------------------------
let view = state.view ?? { x: 0, y: 0, scale: 1 };
const MIN_SCALE = 0.05;
const MAX_SCALE = 4;
/** Fit enlarges a small drawing at most this much, and leaves this fraction of the panel as margin. */
const FIT_MAX_SCALE = 1.5;
const FIT_MARGIN = 0.96;
/** The editor font size where the page has none (VS Code sets `--vscode-editor-font-size`; a plain browser does not). */
const DEFAULT_EDITOR_FONT_PX = 13;
/** Zoom per pixel of Ctrl+wheel (a trackpad's pinch arrives as Ctrl+wheel too). */
const WHEEL_ZOOM_PER_PX = 0.0015;
/** Pixels per wheel line, for a wheel that counts lines instead of pixels. */
const WHEEL_LINE_PX = 16;

function applyView(): void {
  stage.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  state.view = view;
  saveState();
}
function zoomAt(factor: number, cx: number, cy: number): void {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const k = scale / view.scale;
  view = { x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k, scale };
  applyView();
}
/** The drawing's size at scale 1 (the SVG's own width and height), if there is one. */
function drawingSize(): { w: number; h: number } | undefined {
  const svg = stage.querySelector('svg');
  if (!svg) return undefined;
  return { w: Number(svg.getAttribute('width')) || 1, h: Number(svg.getAttribute('height')) || 1 };
}
function editorFontPx(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size'));
  return px > 0 ? px : DEFAULT_EDITOR_FONT_PX;
}
/**
 * The smallest scale Fit may choose: the one at which component names are drawn at the
 * editor's font size. Read from the drawn label, so it follows the diagram's own CSS.
 */
function legibleScale(): number {
  const label = stage.querySelector('g.node text.title');
  const labelPx = label ? parseFloat(getComputedStyle(label).fontSize) : NaN;
  return labelPx > 0 ? editorFontPx() / labelPx : MIN_SCALE;
}
/**
 * Shows the whole drawing, but never with names smaller than the editor's text: a drawing
 * that would need that is shown at the legible scale instead, from its left (top) edge where
 * it is wider (taller) than the panel and centred where it is not, and the rest is a scroll
 * away. Zooming out by hand may go further.
 */
function fit(): void {
  const size = drawingSize();
  if (!size) return;
  const vw = viewport.clientWidth || 1;
  const vh = viewport.clientHeight || 1;
  const whole = Math.min(vw / size.w, vh / size.h, FIT_MAX_SCALE) * FIT_MARGIN;
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, whole, legibleScale()));
  const place = (drawn: number, visible: number) => (drawn <= visible ? (visible - drawn) / 2 : 0);
  view = { x: place(size.w * scale, vw), y: place(size.h * scale, vh), scale };
  applyView();
}
/**
 * Where scrolling by `delta` leaves one axis's offset: as in a scroll area, a drawing that
 * fits does not move, and a larger one stops where its edge meets the panel's; an offset a
 * drag left beyond that only moves back toward it.
 */
function scrolledOffset(offset: number, delta: number, drawn: number, visible: number): number {
  if (drawn <= visible) return offset;
  return Math.min(Math.max(offset, 0), Math.max(Math.min(offset, visible - drawn), offset - delta));
}
function scrollBy(dx: number, dy: number): void {
  const size = drawingSize();
  if (!size) return;
  view = {
    ...view,
    x: scrolledOffset(view.x, dx, size.w * view.scale, viewport.clientWidth),
    y: scrolledOffset(view.y, dy, size.h * view.scale, viewport.clientHeight),
  };
  applyView();
}
viewport.addEventListener(
  'wheel',
  (event) => {
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      const r = viewport.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * WHEEL_ZOOM_PER_PX), event.clientX - r.left, event.clientY - r.top);
      return;
    }
    const unit =
      event.deltaMode === WheelEvent.DOM_DELTA_LINE
        ? WHEEL_LINE_PX
        : event.deltaMode === WheelEvent.DOM_DELTA_PAGE
          ? viewport.clientHeight
          : 1;
    // Shift turns a vertical wheel sideways where the platform does not already.
    const sideways = event.shiftKey && event.deltaX === 0;
    scrollBy((sideways ? event.deltaY : event.deltaX) * unit, (sideways ? 0 : event.deltaY) * unit);
  },
  { passive: false },
);
// The viewport clips instead of scrolling, but the browser still scrolls it to show a focused
// node: that scroll becomes a pan, so the view stays the one place that says where the drawing is.
viewport.addEventListener('scroll', () => {
  if (viewport.scrollLeft === 0 && viewport.scrollTop === 0) return;
  view = { ...view, x: view.x - viewport.scrollLeft, y: view.y - viewport.scrollTop };
  viewport.scrollLeft = 0;
  viewport.scrollTop = 0;
  applyView();
});
let drag: { x: number; y: number; startX: number; startY: number; moved: boolean } | undefined;
viewport.addEventListener('pointerdown', (event) => {
  if (event.button !== 0) return;
  drag = { x: view.x, y: view.y, startX: event.clientX, startY: event.clientY, moved: false };
});
viewport.addEventListener('pointermove', (event) => {
  if (!drag) return;
  const dx = event.clientX - drag.startX;
  const dy = event.clientY - drag.startY;
  if (!drag.moved && Math.hypot(dx, dy) < 4) return;
  if (!drag.moved) {
    drag.moved = true;
    viewport.setPointerCapture(event.pointerId);
    viewport.classList.add('panning');
  }
  view = { ...view, x: drag.x + dx, y: drag.y + dy };
  applyView();
});
const endDrag = (event: PointerEvent) => {
  if (drag?.moved) {
    viewport.releasePointerCapture(event.pointerId);
    // The click that ends a pan must not select the node under the pointer.
    suppressClick = true;
    setTimeout(() => (suppressClick = false), 0);
  }
  viewport.classList.remove('panning');
  drag = undefined;
};
let suppressClick = false;
viewport.addEventListener('pointerup', endDrag);
viewport.addEventListener('pointercancel', endDrag);

// ---- rendering -------------------------------------------------------------------------------
let snapshot: DiagramSnapshot | undefined;
let laidOut: DiagramElkGraph | undefined;
let highlighted: string | null = null;
let rendered = false;

const nodeElements = () => [...stage.querySelectorAll<SVGGElement>('g.node')];
/** The exact id of the component a node draws (an id XML cannot hold is encoded in the SVG). */
const componentOf = (node: Element | null | undefined): string | undefined => (node ? readDataAttribute(node, 'id') : undefined);
const nodeElement = (id: string) => nodeElements().find((n) => componentOf(n) === id);
/** The component node an event happened in, with its id. */
function nodeAt(target: EventTarget | null): { node: SVGGElement; id: string } | undefined {
  const node = (target as Element | null)?.closest<SVGGElement>('g.node');
  const id = componentOf(node);
  return node && id !== undefined ? { node, id } : undefined;
}

function markNodes(): void {
  for (const n of nodeElements()) {
    const id = componentOf(n);
    n.classList.toggle('selected', id === state.selected);
    n.classList.toggle('highlight', id === highlighted);
    n.setAttribute('aria-pressed', String(id === state.selected));
  }
  const selected = snapshot?.nodes.find((n) => n.id === state.selected);
  failButton.textContent = selected?.failed ? 'Restore selected' : 'Fail selected';
  failButton.toggleAttribute('disabled', !selected);
}

let drawing: Promise<void> | undefined;
let drawAgain = false;

/**
 * Draws the latest snapshot. While a layout runs, newer updates only mark the picture stale:
 * when the layout ends, the newest snapshot is laid out once, however many arrived (typing
 * in a 1000-component file must not queue a layout per keystroke).
 */
function render(): Promise<void> {
  if (drawing) {
    drawAgain = true;
    return drawing;
  }
  drawing = (async () => {
    try {
      do {
        drawAgain = false;
        if (snapshot) await draw(snapshot);
      } while (drawAgain);
    } finally {
      drawing = undefined;
    }
  })();
  return drawing;
}

/** Set when a layout ran out of time: graphs at least about that large get the simplest layout at once. */
let ranOutOfTime: { size: GraphSize; note: string } | undefined;
const RAN_OUT_MARGIN = 0.9;

/** The laid-out graph of `current`: ELK in the worker within its budget, else the simplest layout, noted. */
async function laidOutGraph(current: DiagramSnapshot): Promise<DiagramElkGraph | undefined> {
  const size = graphSize(current);
  const simplest = (note: string) => simpleLayout(snapshotToElk(current, state.direction, { mode: 'simple', note }));
  const graph = snapshotToElk(current, state.direction);
  if (graph.archlint.mode === 'simple') return simpleLayout(graph);
  // Typing in a file that ran out of time must not wait out the budget again on every edit.
  if (ranOutOfTime && size.nodes + size.edges >= RAN_OUT_MARGIN * (ranOutOfTime.size.nodes + ranOutOfTime.size.edges)) {
    return simplest(ranOutOfTime.note);
  }
  setStatus(`Laying out ${current.nodes.length} components…`);
  try {
    return await layoutClient.layout(graph, layoutBudgetMs);
  } catch (error) {
    if (error instanceof LayoutTimeout) {
      ranOutOfTime = { size, note: simpleLayoutNote({ budgetMs: error.budgetMs }) };
      return simplest(ranOutOfTime.note);
    }
    // Bounded: the host shows it in a notification, and refuses longer text.
    const message = clipText(`layout failed: ${error instanceof Error ? error.message : String(error)}`);
    setStatus(message.replace(/^l/, 'L'), 'error');
    post({ type: 'error', message });
    return undefined;
  }
}

async function draw(current: DiagramSnapshot): Promise<void> {
  const result = await laidOutGraph(current);
  if (!result) return;
  // A newer snapshot arrived meanwhile: skip drawing this one, the loop lays out the newer.
  if (drawAgain) return;
  laidOut = result;
  body.dataset.layoutWorker = layoutClient.startedFrom ?? '';
  const parsed = new DOMParser().parseFromString(renderSvg(result), 'image/svg+xml');
  const svg = parsed.documentElement;
  if (svg.nodeName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) {
    setStatus('Could not draw the diagram', 'error');
    post({ type: 'error', message: 'the rendered SVG did not parse' });
    return;
  }
  stage.replaceChildren(document.importNode(svg, true));
  empty.hidden = current.nodes.length > 0;
  if (current.nodes.length === 0) empty.textContent = 'No components to draw.';
  markNodes();
  if (!rendered && !state.view) fit();
  else applyView();
  rendered = true;
  const what =
    current.failed.length > 0
      ? ` · what-if: ${current.failed.length} failed, ${current.blastRadius.length} entry point(s) down`
      : '';
  const { mode, note } = result.archlint;
  const simplified = { full: '', fast: 'zones written on the nodes', large: 'simplified layout', simple: 'simplest layout' }[
    mode
  ];
  status.title = note ?? '';
  if (!simplified) setStatus(`${current.nodes.length} components${what}`);
  else setStatus(`${current.nodes.length} components: ${simplified}${what}`, 'warning');
  post({ type: 'rendered', nodes: stage.querySelectorAll('g.node').length, edges: stage.querySelectorAll('path.edge').length });
}

function revealIfHidden(el: Element): void {
  const r = el.getBoundingClientRect();
  const v = viewport.getBoundingClientRect();
  if (r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom) return;
  view = {
    ...view,
    x: view.x + (v.left + v.width / 2 - (r.left + r.width / 2)),
    y: view.y + (v.top + v.height / 2 - (r.top + r.height / 2)),
  };
  applyView();
}

// ---- interaction -----------------------------------------------------------------------------
function select(id: string | undefined): void {
  state.selected = id;
  saveState();
  markNodes();
}
function toggleFail(id: string | undefined): void {
  if (id === undefined || !snapshot?.nodes.some((n) => n.id === id)) return;
  post({ type: 'toggleFail', component: id });
}

stage.addEventListener('click', (event) => {
  if (suppressClick) return;
  const at = nodeAt(event.target);
  if (!at) return;
  select(at.id);
  post({ type: 'reveal', component: at.id });
});
stage.addEventListener('contextmenu', (event) => {
  const at = nodeAt(event.target);
  if (!at) return;
  event.preventDefault();
  select(at.id);
  toggleFail(at.id);
});
// A component reached with Tab is brought into view (a click's focus leaves the view alone: it
// starts every drag).
stage.addEventListener('focusin', (event) => {
  const at = nodeAt(event.target);
  if (at?.node.matches(':focus-visible')) revealIfHidden(at.node);
});
stage.addEventListener('keydown', (event) => {
  const at = nodeAt(event.target);
  if (!at) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    select(at.id);
    post({ type: 'reveal', component: at.id });
  } else if (event.key === 'f') {
    select(at.id);
    toggleFail(at.id);
  }
});

toolbar.addEventListener('click', (event) => {
  const action = (event.target as Element).closest<HTMLElement>('[data-action]')?.dataset.action;
  const center = () => [viewport.clientWidth / 2, viewport.clientHeight / 2] as const;
  switch (action) {
    case 'fit':
      fit();
      break;
    case 'zoom-in':
      zoomAt(1.25, ...center());
      break;
    case 'zoom-out':
      zoomAt(0.8, ...center());
      break;
    case 'direction':
      state.direction = state.direction === 'RIGHT' ? 'DOWN' : 'RIGHT';
      updateDirectionButton();
      saveState();
      // A new direction is a new picture: fit it once it is drawn.
      void render().then(fit);
      break;
    case 'toggle-fail':
      toggleFail(state.selected);
      break;
    case 'reset-failures':
      post({ type: 'resetFailures' });
      break;
    case 'export-svg':
      if (laidOut) post({ type: 'exportSvg', svg: `${renderSvg(laidOut, { standalone: true })}\n` });
      break;
    case 'copy-mermaid':
      if (snapshot) post({ type: 'copyMermaid', text: toMermaid(snapshot, state.direction) });
      break;
  }
});

// ---- messages from the host ------------------------------------------------------------------
function receive(message: HostToWebview): void {
  if (message.type === 'update') {
    if (state.documentUri !== message.documentUri) {
      state.documentUri = message.documentUri;
      saveState();
    }
    document.title = message.title;
    snapshot = message.snapshot;
    void render();
  } else {
    highlighted = message.component;
    markNodes();
    const el = highlighted === null ? undefined : nodeElement(highlighted);
    if (el) revealIfHidden(el);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Anything that is not a well-formed host message is dropped, not half-handled.
  if (isHostToWebview(event.data)) receive(event.data);
});
window.addEventListener('resize', () => {
  if (!state.view) fit();
});
post({ type: 'ready' });
