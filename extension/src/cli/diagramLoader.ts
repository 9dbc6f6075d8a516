/**
 * The diagram library (ELK, the SVG renderer, Mermaid) for `archlint diagram`. Here, as tests and
 * type checks see it, it is the module itself; the CLI bundle gets diagramLoader.bundle.ts in its
 * place (scripts/build.mjs), which requires dist/diagram.js on first use, so no other command
 * loads ELK's 3 MB.
 */
import * as diagram from '../diagram';

export type DiagramModule = typeof diagram;

export function loadDiagram(): DiagramModule {
  return diagram;
}
