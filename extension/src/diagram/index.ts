/**
 * The diagram, pure (no `vscode`, no DOM): engine results → snapshot → ELK graph → layout →
 * SVG string, or → Mermaid text. The CLI uses it whole; the webview uses the same modules
 * but runs the layout in a worker (so it never imports `./elkNode`).
 */
import { snapshotToElk, type DiagramElkGraph, type Direction } from './elkGraph';
import { buildSnapshot, type SnapshotInput } from '../engine';

export {
  buildSnapshot,
  snapshotOfLint,
  replicasLabel,
  worseSeverity,
  type DiagramEdge,
  type DiagramNode,
  type DiagramSnapshot,
  type SnapshotInput,
} from '../engine';
export {
  snapshotToElk,
  layoutOptions,
  measureLines,
  nodeLines,
  graphSize,
  LAYOUT_LIMITS,
  layoutModeFor,
  LAYOUT_BUDGET_MS,
  simpleLayoutNote,
  METRICS,
} from './elkGraph';
export type {
  DiagramElkGraph,
  DiagramElkNode,
  DiagramElkEdge,
  Direction,
  GraphSize,
  LayoutMode,
  NodeMeta,
  EdgeMeta,
  TextLine,
} from './elkGraph';
export { simpleLayout } from './simpleLayout';
export { visibleText, dataAttributes, readDataAttribute } from './escape';
export { layoutWith, adoptLayout, type ElkLike } from './layout';
export { layout } from './elkNode';
export { layoutSnapshot, LayoutThread, type LayoutBudget } from './threadLayout';
export { renderSvg, escapeXml, DIAGRAM_CSS, LIGHT_PALETTE, VSCODE_PALETTE, type RenderOptions } from './render';
export { toMermaid, escapeMermaid } from './mermaid';

/** The ELK graph of an architecture straight from the engine's results. */
export function toElkGraph(input: SnapshotInput & { direction?: Direction }): DiagramElkGraph {
  return snapshotToElk(buildSnapshot(input), input.direction);
}
export { diagramHtml, type DiagramHtmlOptions } from './html';
