// exportSpecYaml: writes desired mappings (e.g. read back from AWS by `esmctl export`) as an esmctl/v1 spec that
// loads back to the same mappings. Keys follow the schema's order; AWS defaults the caller left out stay out.

import { Document } from 'yaml';
import type { DesiredMapping } from '../core/types.js';
import { MAPPING_PROPERTIES, type MappingKey } from './schema-source.js';

const KEY_ORDER = Object.keys(MAPPING_PROPERTIES) as MappingKey[];

function mappingToYamlObject(m: DesiredMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) {
    if (key === 'source') {
      out.source = m.source.kind === 'msk' ? { msk: m.source.arn } : { bootstrapServers: [...m.source.bootstrapServers] };
      continue;
    }
    if (key === 'permissions') {
      if (m.permissions === 'none') out.permissions = 'none'; // auto is the default
      continue;
    }
    const value = (m as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = structuredClone(value);
  }
  return out;
}

/** One `kind: MappingSet` document holding `mappings`, in the order given. */
export function exportSpecYaml(set: { name: string; region?: string }, mappings: DesiredMapping[]): string {
  const body = {
    apiVersion: 'esmctl/v1',
    kind: 'MappingSet',
    metadata: { name: set.name, ...(set.region !== undefined ? { region: set.region } : {}) },
    mappings: mappings.map(mappingToYamlObject),
  };
  const doc = new Document(body, { version: '1.2' });
  doc.commentBefore = ` Exported by esmctl: the mappings of set "${set.name}" as an esmctl/v1 spec.`;
  return doc.toString({ lineWidth: 0, indentSeq: true });
}
