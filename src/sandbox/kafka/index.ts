// The sandbox Kafka side: a standalone broker for tests (startKafkaBroker) and the broker plus the emulated
// Lambda poller wired to the AWS emulation through KafkaHost (startKafkaSandbox).

export { startKafkaBroker, LISTENER_KINDS, type KafkaBroker, type KafkaBrokerOptions, type ListenerKind } from './broker.js';
