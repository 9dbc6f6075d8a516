// Hand-written types for the build product next to it: scripts/compile-schema.mjs compiles
// schemas/architecture.schema.json with ajv (allErrors, verbose) into schemaValidator.generated.js.
import type { ErrorObject } from 'ajv';

/** The compiled schema check: `true` when valid; otherwise `errors` lists every violation (`allErrors`). */
export interface ArchitectureSchemaValidator {
  (data: unknown): boolean;
  /** Set by the last call. With `verbose`, each error carries `schema`, `parentSchema` and `data`. */
  errors?: ErrorObject[] | null;
}

declare const validateArchitectureSchema: ArchitectureSchemaValidator;
export default validateArchitectureSchema;
