// `@org/messaging-propagation`: what applications and hand-written messaging code
// use: attribute names, span naming, carriers, moving context across a queue,
// the consumer context policy. The machinery the plugins share (attribute
// builders, the span lifecycle, metrics, coexistence) is `./internal`.
// Semantic conventions: the only place attribute names are spelled out.
export {
  ATTR_AWS_REQUEST_ID,
  ATTR_AWS_SNS_TOPIC_ARN,
  ATTR_AWS_SQS_QUEUE_URL,
  ATTR_CLOUD_PROVIDER,
  ATTR_CLOUD_REGION,
  ATTR_CLOUD_RESOURCE_ID,
  ATTR_ERROR_TYPE,
  ATTR_FAAS_COLDSTART,
  ATTR_FAAS_INVOCATION_ID,
  ATTR_FAAS_NAME,
  ATTR_FAAS_TRIGGER,
  ATTR_FAAS_VERSION,
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_DESTINATION_TEMPORARY,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ENVELOPE_SIZE,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM_NAME,
  ATTR_OTEL_MQ_AWS_SQS_MESSAGE_DEDUPLICATION_ID,
  ATTR_OTEL_MQ_AWS_SQS_MESSAGE_GROUP_ID,
  ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT,
  ATTR_OTEL_MQ_CONTEXT_CARRIER,
  ATTR_OTEL_MQ_MESSAGE_DELIVERY_COUNT,
  ATTR_OTEL_MQ_MESSAGE_QUEUE_TIME_MS,
  ATTR_OTEL_MQ_MESSAGE_REDELIVERED,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON,
  ATTR_OTEL_MQ_SETTLE_MULTIPLE,
  ATTR_OTEL_MQ_SETTLE_REQUEUE,
  ATTR_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  CLOUD_PROVIDER_VALUE_AWS,
  ERROR_TYPE_VALUE_OTHER,
  FAAS_TRIGGER_VALUE_PUBSUB,
  MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_RECEIVE,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_OPERATION_TYPE_VALUE_SETTLE,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
  MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ,
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
  SEMCONV_SCHEMA_URL,
  SEMCONV_VERSION,
} from './semconv';
// The 1.44 names, emitted beside the 1.45 ones under OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup.
export {
  ATTR_FAAS_INVOCATION_ID_1_44,
  ATTR_MESSAGING_KAFKA_CLUSTER_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_SYSTEM_VALUE_AWS_SNS,
  MESSAGING_SYSTEM_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_VALUE_KAFKA,
  MESSAGING_SYSTEM_VALUE_RABBITMQ,
} from './semconv-legacy';
export {
  messagingSemconvMode,
  parseSemconvStabilityOptIn,
  SEMCONV_STABILITY_OPT_IN_ENV,
  setMessagingSemconvMode,
} from './semconv-stability';
export type { MessagingSemconvMode } from './semconv-stability';

// Operations and span naming.
export { MessagingOperations, spanKindForOperationType } from './operations';
export type { MessagingOperation, MessagingOperationType, MessagingSystem } from './operations';
export { messagingSpanName } from './span-name';

// Message body size, as the plugins measure it.
export { messageBodySize } from './attributes/body-size';

// Carriers.
export { amqpHeadersGetter, amqpHeadersSetter } from './carriers/amqp-headers';
export type { AmqpHeaders } from './carriers/amqp-headers';
export {
  AWS_TRACE_HEADER_ATTRIBUTE,
  awsTraceHeaderToSpanContext,
  spanContextToAwsTraceHeader,
} from './carriers/aws-trace-header';
export { kafkaHeadersGetter, kafkaHeadersSetter } from './carriers/kafka-headers';
export { injectIntoHeaderListCopy, kafkaHeaderListToMap } from './carriers/kafka-header-list';
export type { KafkaHeaderList } from './carriers/kafka-header-list';
export {
  MAX_SNS_ENVELOPE_LENGTH,
  snsEnvelopeMessageAttributes,
  snsMessageAttributesGetter,
} from './carriers/sns-envelope';
export type { SnsMessageAttributes, SnsMessageAttributeValue } from './carriers/sns-envelope';
export type { KafkaHeaders, KafkaHeaderValue } from './carriers/kafka-headers';
export {
  MAX_BAGGAGE_LENGTH,
  MAX_OTHER_FIELD_LENGTH,
  MAX_REPEATED_VALUES,
  MAX_TRACEPARENT_LENGTH,
  MAX_TRACESTATE_LENGTH,
} from './carriers/limits';
export {
  freeSqsAttributeSlots,
  lambdaSqsMessageAttributesGetter,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  sqsMessageAttributesGetter,
  sqsMessageAttributesSetter,
} from './carriers/sqs-message-attributes';
export type {
  LambdaSqsMessageAttributes,
  LambdaSqsMessageAttributeValue,
  SqsMessageAttributes,
  SqsMessageAttributeValue,
} from './carriers/sqs-message-attributes';

// Moving context across the queue.
export { injectIntoCopy, propagationFields, propagatorFields } from './inject';
export { extractFromCarrier } from './extract';
export {
  extractLambdaSqsRecordContext,
  extractSnsEnvelopeContext,
  extractSqsMessageContext,
  injectSqsContext,
} from './sqs-context';
export type { ContextCarrierKind, ExtractedContext, SqsContextInput, SqsInjection } from './sqs-context';
export { parseConsumerContextMode, resolveConsumerContext } from './context-policy';
export type {
  ConsumerContextMode,
  ConsumerContextOptions,
  ConsumerContextPolicy,
  ConsumerContextPolicyInput,
  ConsumerSpanContext,
} from './context-policy';

// Errors, and the duration buckets semconv advises.
export { errorType, recordSpanError } from './errors';
export { HandlerUnsettledAtExitError, OperationUnansweredAtExitError } from './open-spans';
export { MESSAGING_DURATION_BUCKETS } from './metrics';
