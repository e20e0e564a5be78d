// "Did you mean" for unknown keys and enum values, and the table of ESM fields that exist in the Lambda API
// but do not apply to Kafka (or that esmctl spells differently), so those get a message of their own.

/** Edit distance (Damerau's adjacent transposition included), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/** The closest candidate, when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word, c);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Lambda ESM fields that do not apply to Kafka sources, by lower-cased key: what they apply to. */
export const NOT_FOR_KAFKA: Record<string, { field: string; appliesTo: string }> = {
  tumblingwindowinseconds: { field: 'tumblingWindowInSeconds', appliesTo: 'Kinesis and DynamoDB streams' },
  parallelizationfactor: { field: 'parallelizationFactor', appliesTo: 'Kinesis and DynamoDB streams' },
  scalingconfig: { field: 'scalingConfig', appliesTo: 'Amazon SQS' },
  maximumconcurrency: { field: 'maximumConcurrency', appliesTo: 'Amazon SQS' },
  onsuccess: { field: 'onSuccess', appliesTo: 'Kinesis and DynamoDB streams (on-success destinations)' },
  queues: { field: 'queues', appliesTo: 'Amazon MQ' },
  documentdbeventsourceconfig: { field: 'documentDBEventSourceConfig', appliesTo: 'Amazon DocumentDB' },
  startingpositiontimestampmillis: { field: 'startingPositionTimestampMillis', appliesTo: 'Kinesis' },
};

/** AWS API names that esmctl spells differently: the esmctl key to use instead. */
export const RENAMED: Record<string, { use: string; note?: string }> = {
  topics: { use: 'topic', note: 'Kafka mappings read exactly one topic' },
  functionname: { use: 'function' },
  eventsourcearn: { use: 'source.msk' },
  selfmanagedeventsource: { use: 'source.bootstrapServers' },
  kafkabootstrapservers: { use: 'source.bootstrapServers' },
  bootstrapservers: { use: 'source.bootstrapServers' },
  msk: { use: 'source.msk' },
  sourceaccessconfigurations: { use: 'auth and vpc' },
  destinationconfig: { use: 'onFailure' },
  filtercriteria: { use: 'filters' },
  provisionedpollerconfig: { use: 'provisionedPollers' },
  schemaregistryconfig: { use: 'schemaRegistry' },
  loggingconfig: { use: 'logLevel' },
  metricsconfig: { use: 'metrics' },
  kmskeyarn: { use: 'kmsKeyArn' },
  functionresponsetypes: { use: 'errorHandling.reportBatchItemFailures' },
  maximumretryattempts: { use: 'errorHandling.maximumRetryAttempts' },
  maximumrecordageinseconds: { use: 'errorHandling.maximumRecordAgeInSeconds' },
  bisectbatchonfunctionerror: { use: 'errorHandling.bisectBatchOnFunctionError' },
  reportbatchitemfailures: { use: 'errorHandling.reportBatchItemFailures' },
  amazonmanagedkafkaeventsourceconfig: { use: 'consumerGroupId (and schemaRegistry)' },
  selfmanagedkafkaeventsourceconfig: { use: 'consumerGroupId (and schemaRegistry)' },
  consumergroup: { use: 'consumerGroupId' },
  groupid: { use: 'consumerGroupId' },
};

/** Keys whose values may be secrets: their values are never echoed in messages or excerpts. */
export function isSensitiveKey(key: string): boolean {
  if (/arn$/i.test(key)) return false;
  return /pass(word|wd|phrase)?$|secret|token|private.?key|api.?key|credential/i.test(key);
}
