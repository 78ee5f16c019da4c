/**
 * Messaging semantic-convention names and values (semantic-conventions v1.45,
 * messaging is still "development").
 *
 * This file is the only place in otel-mq where an attribute name is written as
 * a string. Stable names are re-exported from `@opentelemetry/semantic-conventions`;
 * unstable (incubating) ones are defined here once, because the incubating entry
 * point of that package may rename or drop them in any minor release. Each
 * constant has the identifier the incubating entry gives the same name, and
 * `semconv.test.ts` checks every value against the pinned release.
 */
export {
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ERROR_TYPE_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';

/** The release these names come from, and the schema URL our tracers and meters announce. */
export const SEMCONV_VERSION = '1.45.0';
export const SEMCONV_SCHEMA_URL = `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`;

// Generic messaging attributes.
export const ATTR_MESSAGING_SYSTEM_NAME = 'messaging.system.name';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_TEMPLATE = 'messaging.destination.template';
export const ATTR_MESSAGING_DESTINATION_ANONYMOUS = 'messaging.destination.anonymous';
export const ATTR_MESSAGING_DESTINATION_TEMPORARY = 'messaging.destination.temporary';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME = 'messaging.destination.subscription.name';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
export const ATTR_MESSAGING_MESSAGE_ENVELOPE_SIZE = 'messaging.message.envelope.size';

// Kafka.
export const ATTR_KAFKA_MESSAGE_KEY = 'kafka.message.key';
export const ATTR_KAFKA_OFFSET = 'kafka.offset';
export const ATTR_KAFKA_MESSAGE_TOMBSTONE = 'kafka.message.tombstone';
export const ATTR_KAFKA_CLUSTER_ID = 'kafka.cluster.id';

// RabbitMQ.
export const ATTR_RABBITMQ_DESTINATION_ROUTING_KEY = 'rabbitmq.destination.routing_key';
export const ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG = 'rabbitmq.message.delivery_tag';
/** otel-mq's own (see below): how often a RabbitMQ message was dead-lettered, summed over its `x-death` entries. */
export const ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT = 'otel_mq.rabbitmq.death.count';
/** otel-mq's own: the queue a dead-lettered RabbitMQ message was first dead-lettered from (`x-first-death-queue`). */
export const ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE = 'otel_mq.rabbitmq.death.first_queue';
/** otel-mq's own: why it was first dead-lettered (`x-first-death-reason`: rejected, expired, maxlen, delivery_limit). */
export const ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON = 'otel_mq.rabbitmq.death.first_reason';
/** otel-mq's own: a settle operation covers every message up to this one (AMQP `multiple`, amqplib `allUpTo`, ackAll). */
export const ATTR_OTEL_MQ_SETTLE_MULTIPLE = 'otel_mq.settle.multiple';
/** otel-mq's own: a negative settlement asks the broker to requeue the message(s). */
export const ATTR_OTEL_MQ_SETTLE_REQUEUE = 'otel_mq.settle.requeue';

// AWS SQS and SNS.
export const ATTR_AWS_SQS_QUEUE_URL = 'aws.sqs.queue.url';
export const ATTR_AWS_SNS_TOPIC_ARN = 'aws.sns.topic.arn';
export const ATTR_AWS_REQUEST_ID = 'aws.request_id';
export const ATTR_CLOUD_REGION = 'cloud.region';

// FaaS (an AWS Lambda invocation triggered by SQS).
export const ATTR_FAAS_TRIGGER = 'faas.trigger';
export const ATTR_FAAS_INVOCATION_ID = 'faas.invocation.id';
export const ATTR_FAAS_NAME = 'faas.name';
export const ATTR_FAAS_VERSION = 'faas.version';
export const ATTR_FAAS_COLDSTART = 'faas.coldstart';
export const ATTR_CLOUD_PROVIDER = 'cloud.provider';
export const ATTR_CLOUD_RESOURCE_ID = 'cloud.resource_id';
/** `faas.trigger` of a function invoked by a message queue. */
export const FAAS_TRIGGER_VALUE_PUBSUB = 'pubsub';
/** `cloud.provider` value. */
export const CLOUD_PROVIDER_VALUE_AWS = 'aws';

/** `messaging.system.name` values. */
export const MESSAGING_SYSTEM_NAME_VALUE_KAFKA = 'kafka';
export const MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ = 'rabbitmq';
export const MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS = 'aws.sqs';
export const MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS = 'aws.sns';

/** `messaging.operation.type` values. */
export const MESSAGING_OPERATION_TYPE_VALUE_CREATE = 'create';
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_RECEIVE = 'receive';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
export const MESSAGING_OPERATION_TYPE_VALUE_SETTLE = 'settle';

/** Messaging metric instrument names. */
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
export const METRIC_MESSAGING_PROCESS_DURATION = 'messaging.process.duration';
export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';

/**
 * otel-mq's own attributes, for facts the conventions do not name yet.
 * They live in the `otel_mq.` namespace so they can never collide with a
 * future semconv name; each is documented in the package README.
 */
/** Milliseconds between the broker's timestamp of a message and the start of its processing. */
export const ATTR_OTEL_MQ_MESSAGE_QUEUE_TIME_MS = 'otel_mq.message.queue_time_ms';
/** How many times the broker has delivered this message (1 on first delivery). */
export const ATTR_OTEL_MQ_MESSAGE_DELIVERY_COUNT = 'otel_mq.message.delivery_count';
/** True when the broker says this is a redelivery. */
export const ATTR_OTEL_MQ_MESSAGE_REDELIVERED = 'otel_mq.message.redelivered';
/** Which carrier brought the producer's context: see {@link ContextCarrierKind}. */
export const ATTR_OTEL_MQ_CONTEXT_CARRIER = 'otel_mq.context.carrier';
/** SQS FIFO queues: the message group of a message. */
export const ATTR_OTEL_MQ_AWS_SQS_MESSAGE_GROUP_ID = 'otel_mq.aws_sqs.message_group_id';
/** SQS FIFO queues: the deduplication id of a message. */
export const ATTR_OTEL_MQ_AWS_SQS_MESSAGE_DEDUPLICATION_ID = 'otel_mq.aws_sqs.message_deduplication_id';
/** How many entries of a batch operation the broker refused (SQS batch calls answer per entry). */
export const ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT = 'otel_mq.batch.failed_message_count';
