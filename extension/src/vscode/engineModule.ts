/**
 * Everything the extension uses of the engine, the diagram, `yaml` and the schema, behind one
 * module: the shipped bundle loads it (`dist/engine.js`) on the first `*.arch.yaml` it lints,
 * not at activation, since the extension also activates for every plain YAML file
 * (scripts/build.mjs; `engine()` in ./engineLoader.ts). Light modules (types, constants, the
 * graph helpers, number formats) stay direct imports.
 */
export { applyFixes, lint, lintIncremental, rules } from '../engine';
export { renderTable } from '../cli/commands/availability';
export { diagramHtml } from '../diagram/html';
export { snapshotOfLint } from '../diagram/snapshot';
export { isMap, isScalar, isSeq } from 'yaml';
export { default as schemaJson } from '../../../schemas/architecture.schema.json';
