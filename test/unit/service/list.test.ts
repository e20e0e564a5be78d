// The filters export and list share: a function reference (name, name:qualifier, partial or full ARN) against a
// live function ARN, and a source (MSK ARN or bootstrap servers in any order) against a live source.

import { describe, expect, it } from 'vitest';
import type { KafkaSource } from '../../../src/core/types.js';
import { matchesFunction, matchesSource } from '../../../src/service/list.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:orders-ingest';
const FN_ALIAS = 'arn:aws:lambda:us-east-1:123456789012:function:orders-ingest:live';
const MSK: KafkaSource = { kind: 'msk', arn: 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc-1' };
const SELF: KafkaSource = { kind: 'self-managed', bootstrapServers: ['b-1:9092', 'b-2:9092'] };

describe('matchesFunction', () => {
  it.each([
    [FN, undefined, true],
    [FN, 'orders-ingest', true],
    [FN, 'orders', false],
    [FN, FN, true],
    [FN, '123456789012:function:orders-ingest', true],
    [FN_ALIAS, 'orders-ingest:live', true],
    [FN_ALIAS, 'orders-ingest', false],
    [FN, 'orders-ingest:live', false],
    [FN_ALIAS, FN, false],
  ])('%s against %s → %s', (arn, ref, expected) => {
    expect(matchesFunction(arn, ref)).toBe(expected);
  });
});

describe('matchesSource', () => {
  it.each([
    [MSK, undefined, true],
    [MSK, 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc-1', true],
    [MSK, 'arn:aws:kafka:us-east-1:123456789012:cluster/other/def-1', false],
    [MSK, 'b-1:9092,b-2:9092', false],
    [SELF, 'b-2:9092,b-1:9092', true],
    [SELF, ' b-1:9092 , b-2:9092 ', true],
    [SELF, ['b-2:9092', 'b-1:9092'], true],
    [SELF, 'b-1:9092', false],
    [SELF, 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc-1', false],
  ] as Array<[KafkaSource, string | string[] | undefined, boolean]>)('%j against %j → %s', (source, ref, expected) => {
    expect(matchesSource(source, ref)).toBe(expected);
  });
});
