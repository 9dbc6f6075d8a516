// Types for compile-schema.mjs, so TypeScript tests can compile the schema and compare.

/** The schema file, the format's authority. */
export const SCHEMA: string;
/** Where the standalone validator module is written (a build product, gitignored). */
export const GENERATED: string;
/** The configuration file's schema (`archlint.config.yaml`). */
export const CONFIG_SCHEMA: string;
/** Where its validator module is written (a build product, gitignored). */
export const CONFIG_GENERATED: string;
/** Compiles the schema and writes the validator module; returns the module's source. Throws on an invalid schema. */
export function compileSchema(options?: { schemaPath?: string; outFile?: string }): string;
