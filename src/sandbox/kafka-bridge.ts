// The seam between the sandbox's AWS emulation and its Kafka broker + emulated poller (src/sandbox/kafka/).
// The AWS side implements KafkaHost; the Kafka side returns KafkaSandbox. Nothing outside src/sandbox uses this.

/** A Kafka event source mapping as the emulated poller needs to see it (API field names). */
export interface PollerMappingView {
  uuid: string;
  functionArn: string;
  /** MSK cluster ARN, when the source is MSK. */
  eventSourceArn?: string;
  /** Self-managed bootstrap servers, when the source is self-managed. */
  bootstrapServers?: string[];
  topic: string;
  /** Custom group id, when set; otherwise the poller uses the UUID. */
  consumerGroupId?: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number; // epoch seconds
  batchSize: number;
  maximumBatchingWindowInSeconds?: number;
  state: string;
  sourceAccessConfigurations: Array<{ Type: string; URI: string }>;
  /** ISO time the mapping was created (LATEST is resolved then). */
  createdAt: string;
  /** Retries of a failed batch before the poller skips it (-1 or absent: retry until it succeeds, Kafka's default). */
  maximumRetryAttempts?: number;
}

/** What the AWS emulation offers the Kafka side. */
export interface KafkaHost {
  listMappings(): PollerMappingView[];
  setLastProcessingResult(uuid: string, text: string): void;
  /** SecretString of a sandbox secret, or undefined. Stays inside the sandbox process. */
  getSecretString(arn: string): string | undefined;
  /** Bootstrap addresses of an MSK cluster backed by the sandbox broker, by auth mode; undefined if not backed. */
  clusterBootstrap(clusterArn: string): KafkaListeners | undefined;
  /** Functions the seed marks as failing (their invocations report a function error). */
  isFunctionFailing(functionArn: string): boolean;
  /** All sandbox secrets (SCRAM/PLAIN users of the broker are the `{"username","password"}` ones). Optional:
   * without it the broker knows only the users of secrets that mappings reference. Stays inside the sandbox. */
  listSecrets?(): Array<{ arn: string; name: string; secretString?: string }>;
}

export interface KafkaListeners {
  plaintext?: string; // host:port
  tls?: string;
  saslScram?: string;
  mtls?: string;
  iam?: string;
}

/** What the Kafka side returns to the AWS emulation. */
export interface KafkaSandbox {
  listeners: KafkaListeners;
  /** PEM of the CA that signed the broker certificate (for clients and seed secrets). */
  caPem: string;
  /** Invocations the emulated poller recorded for a mapping. */
  invocations(uuid: string): Array<{ at: string; records: number; partition: number; firstOffset: string; lastOffset: string; failed: boolean }>;
  /** A client certificate (PEM, PKCS#8 key) signed by the broker CA, for mTLS secrets. Optional. */
  issueClientCertificate?(commonName: string): Promise<{ certificatePem: string; privateKeyPem: string }>;
  /** Empties the broker (topics, groups, offsets) and the poller's positions and invocations. Optional. */
  reset?(): void;
  stop(): Promise<void>;
}
