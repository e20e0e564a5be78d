// diffConfigs over canonical MappingConfigs: paths, before/after, impact from FIELD_RULES, sets compared as sets.

import { describe, expect, it } from 'vitest';
import { diffConfigs, worstImpact } from '../../../src/core/diff.js';
import { canonicalConfig } from '../../../src/core/normalize.js';
import type { MappingConfig } from '../../../src/core/types.js';
import { configOf, desired, SECRET_ARN } from './builders.js';

const base = configOf(desired());
const edit = (patch: Partial<MappingConfig>) => canonicalConfig({ ...base, ...patch });

describe('diffConfigs', () => {
  it.each<[string, Partial<MappingConfig>, Array<{ path: string; before: unknown; after: unknown; impact: string }>]>([
    ['no change', {}, []],
    ['batch size is updated in place', { batchSize: 500 }, [{ path: 'batchSize', before: 100, after: 500, impact: 'update' }]],
    ['topic forces replacement', { topic: 'orders-v2' }, [{ path: 'topic', before: 'orders', after: 'orders-v2', impact: 'replace' }]],
    ['consumer group forces replacement', { consumerGroupId: 'g1' }, [{ path: 'consumerGroupId', before: null, after: 'g1', impact: 'replace' }]],
    ['starting position forces replacement', { startingPosition: 'TRIM_HORIZON' }, [{ path: 'startingPosition', before: 'LATEST', after: 'TRIM_HORIZON', impact: 'replace' }]],
    ['a tag is diffed per key', { tags: { team: 'pay' } }, [{ path: 'tags.team', before: null, after: 'pay', impact: 'update' }]],
    ['provisioned pollers per member', { provisionedPollers: { minimum: 1, maximum: 200, group: null } }, [
      { path: 'provisionedPollers', before: null, after: { minimum: 1, maximum: 200, group: null }, impact: 'update' },
    ]],
    ['filters as a whole', { filters: ['{"value":{"a":[1]}}'] }, [{ path: 'filters', before: [], after: ['{"value":{"a":[1]}}'], impact: 'update' }]],
    ['access configurations as a whole', { sourceAccessConfigurations: [{ type: 'SASL_SCRAM_512_AUTH', uri: SECRET_ARN }] }, [
      { path: 'sourceAccessConfigurations', before: [], after: [{ type: 'SASL_SCRAM_512_AUTH', uri: SECRET_ARN }], impact: 'update' },
    ]],
  ])('%s', (_name, patch, expected) => {
    expect(diffConfigs(base, edit(patch))).toEqual(expected);
  });

  it('reports nested members by path', () => {
    const a = edit({ provisionedPollers: { minimum: 1, maximum: 10, group: null } });
    const b = edit({ provisionedPollers: { minimum: 1, maximum: 20, group: 'g' } });
    expect(diffConfigs(a, b).map((c) => [c.path, c.before, c.after])).toEqual([
      ['provisionedPollers.group', null, 'g'],
      ['provisionedPollers.maximum', 10, 20],
    ]);
  });

  it('compares bootstrap servers as a set', () => {
    const a = edit({ source: { kind: 'self-managed', bootstrapServers: ['b:9092', 'a:9092'] } });
    const b = edit({ source: { kind: 'self-managed', bootstrapServers: ['a:9092', 'b:9092'] } });
    expect(diffConfigs(a, b)).toEqual([]);
    const c = edit({ source: { kind: 'self-managed', bootstrapServers: ['a:9092', 'c:9092'] } });
    expect(diffConfigs(a, c)).toEqual([
      { path: 'source.bootstrapServers', before: ['a:9092', 'b:9092'], after: ['a:9092', 'c:9092'], impact: 'replace' },
    ]);
  });

  it('reports a source that changes kind as one change of the whole source', () => {
    const a = edit({});
    const b = edit({ source: { kind: 'self-managed', bootstrapServers: ['a:9092'] } });
    expect(diffConfigs(a, b)).toEqual([{ path: 'source', before: a.source, after: b.source, impact: 'replace' }]);
  });

  it('orders changes by the field table and takes the worst impact', () => {
    const changes = diffConfigs(base, edit({ batchSize: 10, topic: 'x', enabled: false }));
    expect(changes.map((c) => c.path)).toEqual(['topic', 'batchSize', 'enabled']);
    expect(worstImpact(changes)).toBe('replace');
    expect(worstImpact(changes.filter((c) => c.impact === 'update'))).toBe('update');
    expect(worstImpact([])).toBe('none');
  });
});
