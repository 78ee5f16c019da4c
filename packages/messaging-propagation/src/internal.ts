// `@org/messaging-propagation/internal`: the span-lifecycle machinery the otel-mq
// plugins (and the register entry) share. Not for applications: it may change in any release.
export { endOperation, failedWith, SUCCEEDED } from './end-operation';
export type { OperationMetrics, OperationOutcome, OperationTelemetry, StartedOperation } from './end-operation';
export { createExitSweep, installExitSweep } from './exit-sweep';
export type { ExitSweep, SweptProcess } from './exit-sweep';
export { endOwnedOperations, trackOpenOperation, untrackOpenOperation } from './open-spans';
export type { AbandonReason, OpenOperation } from './open-spans';
export { messageIdentityAttributes } from './attributes/common';
export type { MessageIdentityInput } from './attributes/common';
export { ConstantAttributes, MAX_CONSTANT_ATTRIBUTE_SETS } from './constant-attributes';
export { MessagingInstrumentation } from './messaging-instrumentation';
export type { LabelledTelemetry } from './messaging-instrumentation';
export { whileEnabled } from './plugin-telemetry';
export { runInOperation, runInOperationAsReturned, RunningOperation } from './running-operation';
export type { OperationKind, ReturnedWork } from './running-operation';
export type { PluginTelemetry } from './plugin-telemetry';
// The Kafka telemetry of the kafkajs-shaped clients (kafkajs, Confluent's client).
export { traceKafkaBatch, traceKafkaBatchMessage } from './kafka/batch';
export type { KafkaBatch } from './kafka/batch';
export { traceKafkaCommit, traceKafkaCommitCall } from './kafka/commit';
export type { KafkaTopicPartitionOffset } from './kafka/commit';
export { startKafkaProcessSpan, traceKafkaProcess } from './kafka/process';
export type { KafkaMessageProcessFacts } from './kafka/process';
export { kafkaRunConfigWithTelemetry } from './kafka/run-config';
export type { KafkaEachBatchPayload, KafkaEachMessagePayload, KafkaRunConfig } from './kafka/run-config';
export { finishKafkaSendSpan, startKafkaSendSpan, traceKafkaSend } from './kafka/send';
export type { KafkaProducedMessage, KafkaRecordMetadata, KafkaSendOperation, KafkaTopicMessages } from './kafka/send';
export { kafkaClientAttributes, MAX_SPAN_LINKS } from './kafka/telemetry';
export type {
  KafkaClientAttributes,
  KafkaClientFacts,
  KafkaConsumedMessage,
  KafkaConsumerHookInfo,
  KafkaProducerHookInfo,
  KafkaTelemetry,
  KafkaTelemetryConfig,
} from './kafka/telemetry';
