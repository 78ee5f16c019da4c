// `@org/messaging-propagation/internal`: the span-lifecycle machinery the otel-mq
// plugins (and the register entry) share. Not for applications: it may change in any release.
export { endOperation, failedWith, SUCCEEDED } from './end-operation';
export type { OperationMetrics, OperationOutcome, OperationTelemetry, StartedOperation } from './end-operation';
export { withConfigDefaults } from './config-defaults';
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
export { startMessagingSpan } from './start-span';
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
export { KAFKA_CONFIG_DEFAULTS, kafkaClientAttributes, MAX_SPAN_LINKS } from './kafka/telemetry';
export type {
  KafkaClientAttributes,
  KafkaClientFacts,
  KafkaConfigDefaults,
  KafkaConsumedMessage,
  KafkaConsumerHookInfo,
  KafkaProducerHookInfo,
  KafkaTelemetry,
  KafkaTelemetryConfig,
} from './kafka/telemetry';

// Attribute builders, metrics, guarded execution and coexistence: moved from the
// main entry, which keeps what applications use.
export { messagingAttributes } from './attributes/common';
export { setMessageBodySize } from './attributes/body-size';
export type { MessagingAttributesInput } from './attributes/common';
export { deliveryAttributes } from './attributes/delivery';
export type { DeliveryFacts } from './attributes/delivery';
export { lambdaInvocationAttributes } from './attributes/faas';
export type { LambdaInvocationFacts } from './attributes/faas';
export { kafkaKeyToString, kafkaMessageAttributes, MAX_KAFKA_KEY_ATTRIBUTE_LENGTH } from './attributes/kafka';
export type { KafkaAttributeOptions, KafkaMessageFacts } from './attributes/kafka';
export {
  deadLetterAttributes,
  isServerNamedRabbitMqQueue,
  MAX_X_DEATH_ENTRIES,
  RABBITMQ_DEFAULT_EXCHANGE_NAME,
  rabbitMqAttributes,
  rabbitMqConsumeDestination,
  rabbitMqPublishDestination,
} from './attributes/rabbitmq';
export type { RabbitMqMessageFacts } from './attributes/rabbitmq';
export { settleAttributes } from './attributes/settle';
export type { SettleFacts } from './attributes/settle';
export { parseHostPort, serverAttributes, serverFromUrl } from './attributes/server';
export type { ServerAddress } from './attributes/server';
export { snsAttributes, snsTopicNameFromArn } from './attributes/sns';
export type { SnsFacts } from './attributes/sns';
export { sqsAttributes, sqsQueueNameFromUrl } from './attributes/sqs';
export type { SqsFacts } from './attributes/sqs';
export { endOpenSpans, trackOpenSpan, untrackOpenSpan } from './open-spans';
export { getMessagingMetrics, metricAttributes, secondsSince } from './metrics';
export type { MessagingMetrics } from './metrics';
export { AggregatingCounter, PENDING_ATTRIBUTE_SETS_LIMIT } from './aggregating-counter';
export type { MessageCounter } from './aggregating-counter';
export { runUserHook, safeExecute } from './safe-execute';
export { SchemaScope } from './schema-scope';
export {
  markOtelMqWrapper,
  markOtherSteppedAside,
  otherSteppedAside,
  warnOtherInstrumentation,
  wrapperOwner,
} from './coexistence';
export type { CoexistenceWarning, WrapperOwner } from './coexistence';
