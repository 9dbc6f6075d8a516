import type { ElkNode } from 'elkjs/lib/elk-api';
import { METRICS, type DiagramElkEdge, type DiagramElkGraph, type DiagramElkNode, type TextLine } from './elkGraph';
import { dataAttributes, escapeXml, visibleText } from './escape';

export { escapeXml } from './escape';

/** Text from the file, as the picture shows it: control characters written out, then escaped. */
const text = (s: string): string => escapeXml(visibleText(s));

/** Class rules of the diagram. Colours come from `--al-*` variables, so a host can theme it. */
export const DIAGRAM_CSS = `
.archlint-diagram { font-family: var(--al-font); }
.archlint-diagram .background { fill: var(--al-bg); }
.archlint-diagram .caption { fill: var(--al-muted); font-size: 12px; font-weight: 600; }
.archlint-diagram .layout-note { fill: var(--al-warning); font-size: ${METRICS.detail.fontSize}px; font-weight: 600; }
.archlint-diagram .node .box { fill: var(--al-node-bg); stroke: var(--al-node-border); stroke-width: 1.2; }
.archlint-diagram .node .kind-bar { fill: var(--al-kind, var(--al-node-border)); }
.archlint-diagram .node.kind-load-balancer { --al-kind: var(--al-kind-lb); }
.archlint-diagram .node.kind-service { --al-kind: var(--al-kind-service); }
.archlint-diagram .node.kind-worker { --al-kind: var(--al-kind-worker); }
.archlint-diagram .node.kind-database, .archlint-diagram .node.kind-storage { --al-kind: var(--al-kind-data); }
.archlint-diagram .node.kind-cache { --al-kind: var(--al-kind-cache); }
.archlint-diagram .node.kind-queue { --al-kind: var(--al-kind-queue); }
.archlint-diagram .node.kind-external { --al-kind: var(--al-kind-external); }
.archlint-diagram .node.kind-external .box { stroke-dasharray: 5 3; }
.archlint-diagram .node.entry .box { stroke: var(--al-entry); stroke-width: 3; }
.archlint-diagram .node .line { fill: var(--al-muted); font-size: ${METRICS.detail.fontSize}px; }
.archlint-diagram .node .line.title { fill: var(--al-fg); font-size: ${METRICS.title.fontSize}px; font-weight: 600; }
.archlint-diagram .node .line.pool { fill: var(--al-fg); }
.archlint-diagram .node .line.entry { fill: var(--al-entry); font-weight: 600; }
.archlint-diagram .node .sev-dot { stroke: var(--al-node-bg); stroke-width: 1.5; }
.archlint-diagram .node.sev-error .sev-dot, .archlint-diagram .node.sev-error .line.findings { fill: var(--al-error); }
.archlint-diagram .node.sev-warning .sev-dot, .archlint-diagram .node.sev-warning .line.findings { fill: var(--al-warning); }
.archlint-diagram .node.sev-info .sev-dot, .archlint-diagram .node.sev-info .line.findings { fill: var(--al-info); }
.archlint-diagram .node.sev-error:not(.entry) .box { stroke: var(--al-error); stroke-width: 1.8; }
.archlint-diagram .node.sev-warning:not(.entry) .box { stroke: var(--al-warning); stroke-width: 1.8; }
.archlint-diagram .node .line.whatIf { fill: var(--al-error); font-weight: 600; }
.archlint-diagram .node.failed .box { fill: var(--al-failed-bg); stroke: var(--al-error); stroke-dasharray: 5 3; }
.archlint-diagram .node.failed .line.title { text-decoration: line-through; }
.archlint-diagram .node .cross { stroke: var(--al-error); stroke-width: 2; opacity: 0.55; }
.archlint-diagram .node.down .box { fill: var(--al-down-bg); stroke: var(--al-error); }
.archlint-diagram .node.blast .box { stroke: var(--al-error); stroke-width: 4; }
.archlint-diagram .node.highlight .box, .archlint-diagram .node.selected .box { stroke: var(--al-focus); stroke-width: 3; }
.archlint-diagram .node:focus { outline: none; }
.archlint-diagram .node:focus-visible .box { stroke: var(--al-focus); stroke-width: 3; }
.archlint-diagram .edge { fill: none; stroke: var(--al-edge); stroke-width: 1.4; }
.archlint-diagram .edge.optional { stroke-dasharray: 6 4; }
.archlint-diagram .edge.type-session-store { stroke: var(--al-session); stroke-dasharray: 2 3; }
.archlint-diagram .edge.to-failed { stroke: var(--al-error); }
.archlint-diagram .arrowhead { fill: var(--al-edge); }
.archlint-diagram .arrowhead.error { fill: var(--al-error); }
.archlint-diagram .junction circle { fill: var(--al-bg); stroke: var(--al-edge); stroke-width: 1.4; }
.archlint-diagram .junction.optional circle { stroke-dasharray: 3 2; }
.archlint-diagram .junction text { fill: var(--al-muted); font-size: 9px; }
.archlint-diagram .zone rect { fill: var(--al-zone-bg); stroke: var(--al-zone-border); stroke-dasharray: 4 3; }
.archlint-diagram .zone text { fill: var(--al-muted); font-size: 11px; font-weight: 600; letter-spacing: 0.04em; }
`;

/** The default palette of a standalone SVG (CLI, export): light, GitHub-like. */
export const LIGHT_PALETTE = `
.archlint-diagram {
  --al-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  --al-bg: #ffffff; --al-fg: #1f2328; --al-muted: #59636e;
  --al-node-bg: #ffffff; --al-node-border: #8c959f; --al-entry: #0969da; --al-focus: #0969da;
  --al-error: #cf222e; --al-warning: #bf8700; --al-info: #0969da;
  --al-edge: #6e7781; --al-session: #8250df;
  --al-zone-bg: #f6f8fa; --al-zone-border: #afb8c1;
  --al-failed-bg: #ffebe9; --al-down-bg: #fff5f4;
  --al-kind-lb: #0969da; --al-kind-service: #1a7f37; --al-kind-worker: #1b7c83; --al-kind-data: #8250df;
  --al-kind-cache: #bc4c00; --al-kind-queue: #bf8700; --al-kind-external: #8c959f;
}`;

/** The palette inside VS Code: the theme's own colours, so the diagram follows light, dark and high contrast. */
export const VSCODE_PALETTE = `
.archlint-diagram {
  --al-font: var(--vscode-font-family, system-ui, sans-serif);
  --al-bg: var(--vscode-editor-background); --al-fg: var(--vscode-editor-foreground);
  --al-muted: var(--vscode-descriptionForeground);
  --al-node-bg: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  --al-node-border: var(--vscode-editorWidget-border, var(--vscode-contrastBorder, #888888));
  --al-entry: var(--vscode-textLink-foreground); --al-focus: var(--vscode-focusBorder);
  --al-error: var(--vscode-editorError-foreground); --al-warning: var(--vscode-editorWarning-foreground);
  --al-info: var(--vscode-editorInfo-foreground);
  --al-edge: var(--vscode-editorLineNumber-foreground, #888888); --al-session: var(--vscode-charts-purple);
  --al-zone-bg: var(--vscode-sideBar-background, transparent); --al-zone-border: var(--vscode-panel-border, #888888);
  --al-failed-bg: var(--vscode-inputValidation-errorBackground, transparent);
  --al-down-bg: var(--vscode-diffEditor-removedLineBackground, transparent);
  --al-kind-lb: var(--vscode-charts-blue); --al-kind-service: var(--vscode-charts-green);
  --al-kind-worker: var(--vscode-charts-green); --al-kind-data: var(--vscode-charts-purple);
  --al-kind-cache: var(--vscode-charts-orange); --al-kind-queue: var(--vscode-charts-yellow);
  --al-kind-external: var(--vscode-disabledForeground);
}`;

export interface RenderOptions {
  /**
   * Embed a `<style>` with the light palette and the class rules, for a file that stands alone.
   * The webview passes `false`: its stylesheet comes with its bundle (CSP forbids inline styles).
   */
  standalone?: boolean;
}

interface Point {
  x: number;
  y: number;
}

/** Room above the graph for the note of a picture drawn with the simplest layout. */
const NOTE_HEIGHT = 28;

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

/** Absolute top-left of every node, by ELK id (ELK's coordinates are relative to the parent). */
function absolutePositions(root: ElkNode): Map<string, Point> {
  const positions = new Map<string, Point>();
  const visit = (node: ElkNode, offset: Point) => {
    const at = { x: offset.x + (node.x ?? 0), y: offset.y + (node.y ?? 0) };
    positions.set(node.id, at);
    for (const child of node.children ?? []) visit(child, at);
  };
  visit(root, { x: -(root.x ?? 0), y: -(root.y ?? 0) });
  return positions;
}

/** Every edge of the graph, wherever ELK put it (edges may be listed on a container). */
function allEdges(root: ElkNode): DiagramElkEdge[] {
  const edges: DiagramElkEdge[] = [];
  const visit = (node: ElkNode) => {
    edges.push(...((node.edges ?? []) as DiagramElkEdge[]));
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return edges;
}

/** An orthogonal polyline with its corners rounded. */
function pathThrough(points: Point[], radius = 6): string {
  if (points.length === 0) return '';
  let d = `M${fmt(points[0]!.x)} ${fmt(points[0]!.y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const prev = points[i - 1]!;
    const next = points[i + 1];
    if (!next) {
      d += ` L${fmt(p.x)} ${fmt(p.y)}`;
      continue;
    }
    const r = Math.min(radius, Math.hypot(p.x - prev.x, p.y - prev.y) / 2, Math.hypot(next.x - p.x, next.y - p.y) / 2);
    const before = towards(p, prev, r);
    const after = towards(p, next, r);
    d += ` L${fmt(before.x)} ${fmt(before.y)} Q${fmt(p.x)} ${fmt(p.y)} ${fmt(after.x)} ${fmt(after.y)}`;
  }
  return d;
}

function towards(from: Point, to: Point, distance: number): Point {
  const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: from.x + ((to.x - from.x) * distance) / length, y: from.y + ((to.y - from.y) * distance) / length };
}

function renderLines(lines: readonly TextLine[]): string {
  let y = METRICS.padY;
  return lines
    .map((line) => {
      const m = line.role === 'title' ? METRICS.title : METRICS.detail;
      y += m.lineHeight;
      // The baseline sits a quarter line above the line's bottom, which centres caps and digits.
      return `<text class="line ${line.role}" x="${METRICS.padX}" y="${fmt(y - m.lineHeight * 0.28)}">${text(line.text)}</text>`;
    })
    .join('');
}

function renderComponent(n: DiagramElkNode, at: Point, blast: ReadonlySet<string>): string {
  if (n.archlint.role !== 'component') return '';
  const node = n.archlint.node;
  const w = n.width ?? 0;
  const h = n.height ?? 0;
  const classes = ['node', 'component', `kind-${node.kind.replace(/[^a-z-]/g, '')}`];
  if (node.entry) classes.push('entry');
  if (node.severity) classes.push(`sev-${node.severity}`);
  if (node.failed) classes.push('failed');
  if (node.down) classes.push('down');
  if (blast.has(node.id)) classes.push('blast');
  const label = `${node.id}, ${node.kind} ${node.replicas}${node.entry ? ', entry point' : ''}`;
  return (
    `<g class="${classes.join(' ')}"${dataAttributes({ id: node.id })} transform="translate(${fmt(at.x)} ${fmt(at.y)})" ` +
    `tabindex="0" role="button" aria-label="${text(label)}">` +
    `<title>${text(node.id)}</title>` +
    `<rect class="box" width="${fmt(w)}" height="${fmt(h)}" rx="6"/>` +
    `<rect class="kind-bar" x="1" y="1" width="${fmt(Math.max(0, w - 2))}" height="3" rx="2"/>` +
    (node.severity ? `<circle class="sev-dot" cx="${fmt(w - 9)}" cy="11" r="4.5"/>` : '') +
    renderLines(n.archlint.lines) +
    (node.failed ? `<path class="cross" d="M4 4L${fmt(w - 4)} ${fmt(h - 4)}M${fmt(w - 4)} 4L4 ${fmt(h - 4)}"/>` : '') +
    `</g>`
  );
}

/**
 * The SVG of a laid-out diagram. Structure and classes are stable (the webview and the tests
 * rely on them): `g.node[data-id]` per component, `path.edge[data-from][data-to]` per edge,
 * `g.junction` per `any-of` group, `g.zone[data-zone]` per zone container. Every text from
 * the file is escaped.
 */
export function renderSvg(laidOut: DiagramElkGraph, opts: RenderOptions = {}): string {
  const positions = absolutePositions(laidOut);
  const note = laidOut.archlint.note;
  const noteHeight = note ? NOTE_HEIGHT : 0;
  const noteWidth = note ? 2 * METRICS.padX + [...visibleText(note)].length * METRICS.detail.charWidth : 0;
  const width = Math.ceil(Math.max(laidOut.width ?? 0, noteWidth));
  const captionHeight = opts.standalone && laidOut.archlint.name ? 28 : 0;
  const height = Math.ceil((laidOut.height ?? 0) + noteHeight + captionHeight);
  const failed = new Set(laidOut.archlint.failed);
  const blast = new Set(laidOut.archlint.blastRadius);

  const zones: string[] = [];
  const components: string[] = [];
  const junctions: string[] = [];
  const visit = (node: DiagramElkNode) => {
    const at = positions.get(node.id) ?? { x: 0, y: 0 };
    const meta = node.archlint;
    if (meta.role === 'zone') {
      zones.push(
        `<g class="zone"${dataAttributes({ zone: meta.zone })}><rect x="${fmt(at.x)}" y="${fmt(at.y)}" width="${fmt(node.width ?? 0)}" ` +
          `height="${fmt(node.height ?? 0)}" rx="10"/><text x="${fmt(at.x + 12)}" y="${fmt(at.y + 18)}">zone ${text(meta.zone)}</text></g>`,
      );
    } else if (meta.role === 'junction') {
      const r = (node.width ?? METRICS.junctionSize) / 2;
      junctions.push(
        `<g class="junction${meta.optional ? ' optional' : ''}"${dataAttributes({ from: meta.from })} data-group="${meta.group}">` +
          `<title>any one of these suffices</title><circle cx="${fmt(at.x + r)}" cy="${fmt(at.y + r)}" r="${fmt(r)}"/>` +
          // Beside the circle, across the flow: above it left to right, to its right top to bottom.
          (laidOut.archlint.direction === 'DOWN'
            ? `<text x="${fmt(at.x + 2 * r + 4)}" y="${fmt(at.y + r + 3)}">any</text></g>`
            : `<text x="${fmt(at.x + r)}" y="${fmt(at.y - 3)}" text-anchor="middle">any</text></g>`),
      );
    } else {
      components.push(renderComponent(node, at, blast));
    }
    node.children?.forEach(visit);
  };
  laidOut.children.forEach(visit);

  const edges = allEdges(laidOut).map((edge) => {
    const meta = edge.archlint;
    const offset = positions.get((edge as { container?: string }).container ?? 'root') ?? { x: 0, y: 0 };
    const points: Point[] = [];
    for (const s of edge.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    const absolute = points.map((p) => ({ x: p.x + offset.x, y: p.y + offset.y }));
    const toFailed = meta.to !== '' && failed.has(meta.to);
    const classes = ['edge', `type-${meta.type}`];
    if (meta.optional) classes.push('optional');
    if (meta.anyOf !== undefined) classes.push('any-of');
    if (toFailed) classes.push('to-failed');
    const arrow = meta.junction === 'in' ? '' : ` marker-end="url(#al-arrow${toFailed ? '-error' : ''})"`;
    return (
      `<path class="${classes.join(' ')}"${dataAttributes({ from: meta.from, to: meta.to })} ` +
      `d="${pathThrough(absolute)}"${arrow}/>`
    );
  });

  const style = opts.standalone ? `<style>${LIGHT_PALETTE}${DIAGRAM_CSS}</style>` : '';
  const caption =
    captionHeight > 0
      ? `<text class="caption" x="20" y="${fmt(height - 10)}">${text(laidOut.archlint.name!)} · archlint</text>`
      : '';
  const marker = (id: string, cls: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">` +
    `<path class="${cls}" d="M0 0L10 5L0 10z"/></marker>`;
  const title = `Architecture diagram${laidOut.archlint.name ? `: ${laidOut.archlint.name}` : ''}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="archlint-diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-label="${text(title)}">` +
    style +
    `<defs>${marker('al-arrow', 'arrowhead')}${marker('al-arrow-error', 'arrowhead error')}</defs>` +
    (opts.standalone ? `<rect class="background" width="${width}" height="${height}"/>` : '') +
    // The note says the picture was drawn with the simplest layout, and why; the graph sits below it.
    (note
      ? `<text class="layout-note" x="${METRICS.padX}" y="18">${text(note)}</text><g transform="translate(0 ${noteHeight})">`
      : '') +
    `<g class="zones">${zones.join('')}</g><g class="edges">${edges.join('')}</g>` +
    `<g class="junctions">${junctions.join('')}</g><g class="nodes">${components.join('')}</g>${note ? '</g>' : ''}${caption}</svg>`
  );
}
