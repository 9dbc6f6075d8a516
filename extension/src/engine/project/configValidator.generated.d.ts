// Hand-written types for the build product next to it: scripts/compile-schema.mjs compiles
// schemas/archlint-config.schema.json with ajv (allErrors, verbose) into configValidator.generated.js.
import type { SchemaValidator } from '../model/validate';

declare const validateConfigSchema: SchemaValidator;
export default validateConfigSchema;
