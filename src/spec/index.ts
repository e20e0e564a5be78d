// The spec module's public surface: load esmctl/v1 specs (files, dirs, text), format their problems, export
// mappings back to YAML, and the schema builder behind schemas/esmctl.schema.json.

export { loadSpecPaths, loadSpecText, type SpecLoadOptions, type SpecLoadResult } from './load.js';
export {
  formatProblems,
  problemsToJson,
  type SpecProblem,
  type SpecProblemCode,
  type SpecProblemJson,
} from './problems.js';
export { exportSpecYaml } from './export.js';
export { buildSpecSchema, specSchemaText } from './schema-source.js';
export { SPEC_SCHEMA_URL } from './schema-check.js';
