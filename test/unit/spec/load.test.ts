// The loader over real files: examples validate, directories and multi-document files, defaults, same-named sets
// merging across files, typed output, the formatted excerpt, secret masking, and the export round trip.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredMapping } from '../../../src/core/types.js';
import { exportSpecYaml, formatProblems, loadSpecPaths, loadSpecText, problemsToJson } from '../../../src/spec/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const EXAMPLES = join(ROOT, 'examples');
const FIXTURES = join(ROOT, 'test/fixtures/specs');
const tmp = mkdtempSync(join(tmpdir(), 'esmctl-spec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const withoutLocation = (ms: DesiredMapping[]) => ms.map(({ location: _l, ...rest }) => rest);

describe('examples', () => {
  const files = ['msk-iam', 'msk-scram', 'msk-mtls', 'self-managed-vpc', 'provisioned-dlq', 'filters-schema-registry'];
  it.each(files)('examples/%s.yaml validates, with the schema modeline', async (name) => {
    const file = join(EXAMPLES, `${name}.yaml`);
    const { sets, problems } = await loadSpecPaths([file]);
    expect(formatProblems(problems)).toBe('');
    expect(sets).toHaveLength(1);
    expect(sets[0].region).toBe('us-east-1');
    expect(sets[0].mappings.length).toBeGreaterThan(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/esmctl.schema.json');
  });

  it('the examples directory loads as six sets without problems', async () => {
    const { sets, problems } = await loadSpecPaths([EXAMPLES]);
    expect(problems).toEqual([]);
    expect(sets.map((s) => s.name).sort()).toEqual(['fraud', 'inventory', 'ledger', 'orders', 'payments', 'telemetry']);
  });

  it('covers every auth type and both source kinds', async () => {
    const { sets } = await loadSpecPaths(files.map((f) => join(EXAMPLES, `${f}.yaml`)));
    const ms = sets.flatMap((s) => s.mappings);
    expect(new Set(ms.map((m) => m.auth?.type ?? 'NONE'))).toEqual(new Set(['IAM', 'SASL_SCRAM_512', 'MTLS', 'BASIC_AUTH']));
    expect(new Set(ms.map((m) => m.source.kind))).toEqual(new Set(['msk', 'self-managed']));
    expect(ms.some((m) => m.onFailure?.startsWith('kafka://'))).toBe(true);
    expect(ms.some((m) => m.schemaRegistry && m.kmsKeyArn && m.filters)).toBe(true);
    expect(ms.some((m) => m.vpc && m.auth?.serverRootCaSecretArn)).toBe(true);
    expect(ms.some((m) => m.provisionedPollers?.group && m.errorHandling)).toBe(true);
  });
});

describe('loading', () => {
  const split = join(FIXTURES, 'valid/split');

  it('a directory: its *.yaml/*.yml files, all documents, same-named sets merged, other YAML skipped', async () => {
    const { sets, problems } = await loadSpecPaths([split]);
    expect(problems).toEqual([]);
    expect(sets).toHaveLength(1);
    const [shop] = sets;
    expect(shop.name).toBe('shop');
    expect(shop.region).toBe('us-east-1');
    expect(shop.files).toEqual([join(split, 'a.yaml'), join(split, 'b.yml')]);
    expect(shop.mappings.map((m) => m.address)).toEqual(['shop/cart', 'shop/checkout', 'shop/returns']);
  });

  it('merges defaults per document into typed DesiredMappings', async () => {
    const { sets } = await loadSpecPaths([join(split, 'a.yaml'), join(split, 'b.yml')]);
    expect(sets[0].mappings).toEqual([
      {
        set: 'shop',
        name: 'cart',
        address: 'shop/cart',
        function: 'shop-cart',
        source: { kind: 'msk', arn: 'arn:aws:kafka:us-east-1:123456789012:cluster/shop/11111111-2222-3333-4444-555555555555-1' },
        topic: 'shop.cart',
        consumerGroupId: 'shop-cart',
        auth: { type: 'IAM' },
        startingPosition: 'LATEST',
        permissions: 'auto',
        location: { file: join(split, 'a.yaml'), line: 13, col: 5 },
      },
      {
        set: 'shop',
        name: 'checkout',
        address: 'shop/checkout',
        function: 'shop-checkout',
        source: { kind: 'self-managed', bootstrapServers: ['kafka-1.shop.internal:9092'] },
        topic: 'shop.checkout',
        startingPosition: 'LATEST',
        permissions: 'auto',
        location: { file: join(split, 'a.yaml'), line: 23, col: 5 },
      },
      {
        set: 'shop',
        name: 'returns',
        address: 'shop/returns',
        function: 'arn:aws:lambda:us-east-1:123456789012:function:shop-returns:live',
        source: { kind: 'msk', arn: 'arn:aws:kafka:us-east-1:123456789012:cluster/shop/11111111-2222-3333-4444-555555555555-1' },
        topic: 'shop.returns',
        startingPosition: 'LATEST',
        permissions: 'none',
        location: { file: join(split, 'b.yml'), line: 7, col: 5 },
      },
    ]);
  });

  it('a file named explicitly must be a spec; a directory skips non-specs', async () => {
    const { problems } = await loadSpecPaths([join(split, 'workflow.yaml')]);
    expect(problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ['spec.not-a-spec', 2, 'this document is not an esmctl spec; it needs apiVersion: esmctl/v1 and kind: MappingSet'],
    ]);
    const k8s = loadSpecText('apiVersion: v1\nkind: ConfigMap\ndata: {}\n', 'cm.yaml').problems;
    expect(k8s.map((p) => p.message)).toEqual([
      'this document is not an esmctl spec (apiVersion: v1, kind: ConfigMap); it needs apiVersion: esmctl/v1 and kind: MappingSet',
    ]);
  });

  it('a missing path and an empty directory are reported, not thrown', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const missing = join(tmp, 'nope.yaml');
    const { problems } = await loadSpecPaths([missing, empty]);
    expect(problems.map((p) => [p.code, p.file, p.message])).toEqual([
      ['spec.io', missing, 'no such file or directory'],
    ]);
    const r2 = await loadSpecPaths([empty]);
    expect(r2.problems.map((p) => p.code)).toEqual(['spec.no-specs']);
  });

  it('one set in two regions is a conflict', async () => {
    const a = join(tmp, 'r1.yaml');
    const b = join(tmp, 'r2.yaml');
    writeFileSync(a, 'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: s\n  region: us-east-1\nmappings: []\n');
    writeFileSync(b, 'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: s\n  region: eu-west-1\nmappings: []\n');
    const { problems } = await loadSpecPaths([a, b]);
    expect(problems.map((p) => [p.code, p.file, p.line, p.path, p.message])).toEqual([
      ['spec.set-region-conflict', b, 5, 'metadata.region', `set \`s\` is already in region us-east-1 (${a}:5); one set has one region`],
    ]);
  });

  it('duplicate names are found across the files of one set', async () => {
    const a = join(tmp, 'd1.yaml');
    const b = join(tmp, 'd2.yaml');
    const body = (fn: string) =>
      `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: s }\ndefaults: { startingPosition: LATEST }\nmappings:\n  - name: m\n    function: ${fn}\n    source: { bootstrapServers: [k:9092] }\n    topic: t\n`;
    writeFileSync(a, body('f1'));
    writeFileSync(b, body('f2'));
    const { problems } = await loadSpecPaths([a, b]);
    expect(problems.map((p) => [p.code, p.file, p.line, p.col])).toEqual([['spec.duplicate-name', b, 6, 11]]);
  });

  it('the same function + source + topic, or source + consumer group, in two sets is found too', async () => {
    const a = join(tmp, 'x1.yaml');
    const b = join(tmp, 'x2.yaml');
    const body = (set: string, group: string) =>
      `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: ${set} }\ndefaults: { startingPosition: LATEST }\nmappings:\n  - name: m\n    function: f\n` +
      `    source: { bootstrapServers: [k:9092] }\n    topic: t\n    consumerGroupId: ${group}\n`;
    writeFileSync(a, body('one', 'g1'));
    writeFileSync(b, body('two', 'g2'));
    const { problems } = await loadSpecPaths([a, b]);
    expect(problems.map((p) => [p.code, p.file, p.line, p.message])).toEqual([
      ['spec.duplicate-mapping', b, 6, `\`m\` has the same function, source and topic as \`one/m\` (${a}:6); AWS allows only one such mapping`],
    ]);
    writeFileSync(b, body('two', 'g1').replace('function: f', 'function: g'));
    const r2 = await loadSpecPaths([a, b]);
    expect(r2.problems.map((p) => [p.code, p.line, p.path])).toEqual([['spec.duplicate-consumer-group', 10, 'mappings[0].consumerGroupId']]);
  });

  it('YAML anchors under an x- key and merge keys work', () => {
    const text =
      'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: s }\ndefaults: { startingPosition: LATEST }\n' +
      'x-common: &common\n  function: f\n  source: { bootstrapServers: [k:9092] }\n' +
      'mappings:\n  - <<: *common\n    name: a\n    topic: t1\n  - <<: *common\n    name: b\n    topic: t2\n    batchSize: 0\n';
    const { sets, problems } = loadSpecText(text, 'a.yaml');
    expect(problems.map((p) => [p.path, p.line, p.col])).toEqual([['mappings[1].batchSize', 15, 16]]);
    expect(sets[0].mappings.map((m) => [m.name, m.function, m.topic])).toEqual([
      ['a', 'f', 't1'],
      ['b', 'f', 't2'],
    ]);
  });

  it('an alias bomb is a problem, not a hang or a crash', () => {
    let text = 'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: s }\nmappings: []\nx-0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++) text += `x-${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const { problems } = loadSpecText(text, 'bomb.yaml');
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['yaml.syntax', 'YAML error: Excessive alias count indicates a resource exhaustion attack'],
    ]);
  });

  it('YAML syntax errors are located', () => {
    const { problems } = loadSpecText('apiVersion: esmctl/v1\nmappings: [a, b\nkind: x\n', 'broken.yaml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ code: 'yaml.syntax', file: 'broken.yaml' });
    expect(problems[0].line).toBeGreaterThan(1);
  });
});

describe('formatting', () => {
  it('prints file:line:col: path: message with a caret under the value', async () => {
    const file = join(FIXTURES, 'invalid/batch-size-too-large.yaml');
    const { problems } = await loadSpecPaths([file]);
    expect(formatProblems(problems)).toBe(
      `${file}:12:16: mappings[0].batchSize: must be between 1 and 10000 (got 10001)\n` +
        '  12 |     batchSize: 10001\n' +
        '     |                ^^^^^\n',
    );
  });

  it('prints hints, and colours only when asked', async () => {
    const { problems } = await loadSpecPaths([join(FIXTURES, 'invalid/many-problems.yaml')]);
    const text = formatProblems(problems);
    expect(text).toContain('mappings[0].batchsize: unknown field `batchsize`; did you mean `batchSize`?');
    expect(text).toContain('mappings[0].auth.type: IAM is not available for self-managed Kafka sources');
    expect(text).toContain('mappings[1].function: missing required field `function`');
    expect(text).toContain('mappings[1].parallelizationFactor: `parallelizationFactor` applies to Kinesis and DynamoDB streams only');
    expect(text).toContain('  hint: set it on the mapping or in defaults');
    expect(text).not.toContain('\u001b[');
    expect(formatProblems(problems, { color: true })).toContain('\u001b[');
  });

  it('shows a window of a long line, with the caret still under the value', () => {
    const [p] = loadSpecText(
      `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: s }\nmappings:\n  - { name: a, function: f, source: { bootstrapServers: [k:9092] }, topic: t, tags: { team: core, owner: ${'x'.repeat(80)} }, batchSize: 0 }\n`,
      'long.yaml',
    ).problems;
    const [, excerpt, carets] = formatProblems([p]).split('\n');
    expect(excerpt.startsWith('  5 | …')).toBe(true);
    expect(excerpt.endsWith('x }, batchSize: 0 }')).toBe(true);
    expect(excerpt.length - '  5 | '.length).toBe(121); // the 120-character window and its leading …
    expect(carets.indexOf('^')).toBe(excerpt.indexOf('0 }'));
  });

  it('never shows a secret value, in the excerpt, the message or the JSON', () => {
    const text =
      'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata: { name: s }\ndefaults: { startingPosition: LATEST }\nmappings:\n  - name: m\n    function: f\n' +
      '    source: { bootstrapServers: [k:9092] }\n    topic: t\n    auth: { type: BASIC_AUTH, password: hunter2 }\n' +
      '    auth2:\n      secret: s3cr3t-value\n' +
      '  - name: n\n    function: f\n    source: { bootstrapServers: [k:9092] }\n    topic: t2\n    auth:\n      type: BASIC_AUTH\n      secretArn: pl41n-pa55\n' +
      '  - name: o\n    function: f\n    source: { bootstrapServers: [k:9092] }\n    topic: t3\n    auth: { type: BASIC_AUTH, secretArn: 987654321 }\n';
    const { problems } = loadSpecText(text, 's.yaml');
    expect(problems.map((p) => p.path)).toEqual(['mappings[0].auth.password', 'mappings[0].auth2', 'mappings[1].auth.secretArn', 'mappings[2].auth.secretArn']);
    expect(problems[3].message).toBe('must be a string (got a hidden value)');
    const out = formatProblems(problems) + JSON.stringify(problemsToJson(problems));
    expect(out).toContain('password: ****');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('pl41n');
    expect(out).not.toContain('987654321');
    expect(out).toContain('secretArn: ****');
  });

  it('JSON problems lead with code and position and drop the excerpt', async () => {
    const { problems } = await loadSpecPaths([join(FIXTURES, 'invalid/both-sources.yaml')]);
    const [p] = problemsToJson(problems);
    expect(Object.keys(p).slice(0, 6)).toEqual(['code', 'file', 'line', 'col', 'path', 'message']);
    expect(p).not.toHaveProperty('source');
    expect(p).toMatchObject({ code: 'spec.source-both', line: 8, col: 5, keys: ['msk', 'bootstrapServers'] });
  });
});

describe('exportSpecYaml', () => {
  it('round-trips every example: the export loads back to the same mappings', async () => {
    const { sets } = await loadSpecPaths([EXAMPLES]);
    for (const set of sets) {
      const yaml = exportSpecYaml({ name: set.name, region: set.region }, set.mappings);
      const back = loadSpecText(yaml, `${set.name}.export.yaml`);
      expect(formatProblems(back.problems)).toBe('');
      expect(back.sets).toHaveLength(1);
      expect(back.sets[0].region).toBe(set.region);
      expect(withoutLocation(back.sets[0].mappings)).toEqual(withoutLocation(set.mappings));
    }
  });

  it('writes a readable spec: schema key order, no defaults block, permissions only when none', () => {
    const m: DesiredMapping = {
      set: 'x',
      name: 'a',
      address: 'x/a',
      function: 'fn',
      source: { kind: 'self-managed', bootstrapServers: ['k1:9092', 'k2:9092'] },
      topic: 't',
      startingPosition: 'LATEST',
      batchSize: 10,
      tags: { team: 'core', 'cost-center': '0042' },
      permissions: 'auto',
    };
    expect(exportSpecYaml({ name: 'x' }, [m])).toBe(
      '# Exported by esmctl: the mappings of set "x" as an esmctl/v1 spec.\n\n' +
        'apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: x\nmappings:\n' +
        '  - name: a\n    function: fn\n    source:\n      bootstrapServers:\n        - k1:9092\n        - k2:9092\n' +
        '    topic: t\n    startingPosition: LATEST\n    batchSize: 10\n    tags:\n      team: core\n      cost-center: "0042"\n',
    );
    const back = loadSpecText(exportSpecYaml({ name: 'x' }, [{ ...m, permissions: 'none' }]));
    expect(back.problems).toEqual([]);
    expect(back.sets[0].mappings[0].permissions).toBe('none');
  });
});
