// Regenerates schemas/esmctl.schema.json from schema-source.ts: `npm run build && node dist/spec/write-schema.js`.
// test/unit/spec/schema.test.ts fails when the committed file and the source disagree.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specSchemaText } from './schema-source.js';
import { SPEC_SCHEMA_URL } from './schema-check.js';

writeFileSync(SPEC_SCHEMA_URL, specSchemaText());
process.stderr.write(`wrote ${fileURLToPath(SPEC_SCHEMA_URL)}\n`);
