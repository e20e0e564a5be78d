// FIELD_RULES is the one table of MappingConfig fields: it covers every field exactly once, and its update modes
// and omit rules say what issue 4 says (create-only fields replace; the batching window keeps the live value).

import { describe, expect, it } from 'vitest';
import { FIELD_NAMES, FIELD_RULES, omittedValue, topField } from '../../../src/core/fields.js';
import { configOf, desired } from './builders.js';
import { isReservedTag, managedTags, ownerOf, ownershipTags, userTags } from '../../../src/core/tags.js';

describe('FIELD_RULES', () => {
  it('has one rule per MappingConfig field', () => {
    expect([...FIELD_NAMES].sort()).toEqual(Object.keys(configOf(desired())).sort());
  });

  it('replaces on exactly the fields AWS sets only at create', () => {
    const replace = FIELD_NAMES.filter((f) => FIELD_RULES[f].update === 'replace');
    expect(replace).toEqual(['source', 'topic', 'consumerGroupId', 'startingPosition', 'startingPositionTimestamp']);
    expect(FIELD_RULES.tags.update).toBe('tags');
  });

  it('keeps the live batching window when the spec leaves it out, and defaults the rest', () => {
    expect(FIELD_NAMES.filter((f) => FIELD_RULES[f].omit === 'keep-live')).toEqual(['maximumBatchingWindowInSeconds']);
    expect(omittedValue('batchSize')).toBe(100);
    expect(omittedValue('maximumRetryAttempts')).toBe(-1);
    expect(omittedValue('maximumRecordAgeInSeconds')).toBe(-1);
    expect(omittedValue('enabled')).toBe(true);
    expect(omittedValue('filters')).toEqual([]);
    expect(omittedValue('maximumBatchingWindowInSeconds')).toBeUndefined();
    expect(topField('provisionedPollers.maximum')).toBe('provisionedPollers');
  });

  it('marks the provisioned-mode-only fields', () => {
    expect(FIELD_NAMES.filter((f) => FIELD_RULES[f].provisionedOnly)).toEqual([
      'maximumRetryAttempts', 'maximumRecordAgeInSeconds', 'bisectBatchOnFunctionError', 'reportBatchItemFailures', 'schemaRegistry', 'logLevel',
    ]);
  });
});

describe('ownership tags', () => {
  it('writes set, mapping and spec hash, keeps user tags, and reads the owner back', () => {
    const tags = managedTags('payments', 'settle', 'abc', { team: 'pay', 'esmctl:set': 'forged', 'aws:x': 'y' });
    expect(tags).toEqual({ 'esmctl:mapping': 'settle', 'esmctl:set': 'payments', 'esmctl:spec-hash': 'abc', team: 'pay' });
    expect(ownerOf(tags)).toEqual({ set: 'payments', mapping: 'settle', specHash: 'abc' });
    expect(ownerOf({ team: 'pay' })).toBeNull();
    expect(ownershipTags('s', 'm', 'h')).toEqual({ 'esmctl:mapping': 'm', 'esmctl:set': 's', 'esmctl:spec-hash': 'h' });
    expect(userTags({ 'AWS:cloudformation:stack-name': 'x', b: '2', a: '1' })).toEqual({ a: '1', b: '2' });
    expect(isReservedTag('esmctl:anything')).toBe(true);
    expect(isReservedTag('team')).toBe(false);
  });
});
