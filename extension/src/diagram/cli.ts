/**
 * What `archlint diagram` needs of the diagram: the renderer, Mermaid, and the layout run in its
 * own thread with a time budget. ELK is not here: it loads only in that thread
 * (dist/layoutThread.js), which the command starts before it reads the file.
 */
export { LAYOUT_BUDGET_MS } from './elkGraph';
export { toMermaid } from './mermaid';
export { renderSvg } from './render';
export { layoutSnapshot, LayoutThread } from './threadLayout';
