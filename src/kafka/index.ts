// The Kafka tools' public surface (the only place the product reaches kafkajs): discovery, diagnosis,
// producer, offsets and the consumption validator. Everything here loads kafkajs lazily.

export * from './settings.js';
export { discoverSettings, chooseMskBrokers, readMapping, type DiscoveryInput, type DiscoveryOptions, type AskField, type SettingsAsker } from './discovery.js';
export { testConnection, type ConnectionReport, type DiagnosisStep, type DiagnoseOptions, type StepName, type StepStatus } from './diagnose.js';
export { diagnose, kafkaError, type KafkaDiagnosis, type KafkaFailureKind } from './errors.js';
export { produceTestMessages, checkProduceOptions, testMessageValue, type ProduceOptions, type ProduceReport, type PartitionProduced } from './produce.js';
export { readOffsets, compareSnapshots, type OffsetSnapshot, type OffsetComparison, type PartitionOffsets } from './offsets.js';
export { validateProcessing, explainNotCovered, type ValidateOptions, type ValidateReport, type Verdict } from './validate.js';
