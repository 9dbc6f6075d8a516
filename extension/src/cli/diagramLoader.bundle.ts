/** The bundled CLI's {@link loadDiagram}: the diagram bundle beside dist/cli.js, required on demand. */
import { join } from 'node:path';
import type { DiagramModule } from './diagramLoader';

export function loadDiagram(): DiagramModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle beside this one, loaded on demand
  return require(join(__dirname, 'diagram.js')) as DiagramModule;
}
