/**
 * The diagram's part of `archlint diagram` (the renderer, Mermaid, the layout thread's host). Here,
 * as tests and type checks see it, it is the module itself; the CLI bundle gets
 * diagramLoader.bundle.ts in its place (scripts/build.mjs), which requires dist/diagram.js on
 * first use, so no other command loads it. ELK itself loads only in the layout thread.
 */
import * as diagram from '../diagram/cli';

export type DiagramModule = typeof diagram;

export function loadDiagram(): DiagramModule {
  return diagram;
}
