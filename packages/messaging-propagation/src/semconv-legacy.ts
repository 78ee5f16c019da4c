/**
 * The names semantic conventions 1.44 gave to what 1.45 renamed. They are
 * emitted beside the 1.45 names only under `OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup`
 * (see `semconv-stability.ts`), for users moving dashboards and alerts across.
 * Identifiers are those of the deprecated constants in the 1.45 incubating
 * entry; `faas.invocation_id` was removed outright in 1.45, so it has a name of its own.
 */
import {
  ATTR_FAAS_INVOCATION_ID,
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_SYSTEM_NAME,
  ATTR_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
  MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ,
} from './semconv';

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
export const ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone';
export const ATTR_MESSAGING_KAFKA_CLUSTER_ID = 'messaging.kafka.cluster.id';
export const ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';
/** Removed in 1.45 (renamed `faas.invocation.id`); no constant of the 1.45 package carries it. */
export const ATTR_FAAS_INVOCATION_ID_1_44 = 'faas.invocation_id';

/** `messaging.system` values (1.44). */
export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka';
export const MESSAGING_SYSTEM_VALUE_RABBITMQ = 'rabbitmq';
export const MESSAGING_SYSTEM_VALUE_AWS_SQS = 'aws_sqs';
export const MESSAGING_SYSTEM_VALUE_AWS_SNS = 'aws.sns';

/** 1.45 name → 1.44 name, for every attribute 1.45 renamed that otel-mq emits. */
export const LEGACY_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [ATTR_MESSAGING_SYSTEM_NAME]: ATTR_MESSAGING_SYSTEM,
  [ATTR_KAFKA_MESSAGE_KEY]: ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  [ATTR_KAFKA_OFFSET]: ATTR_MESSAGING_KAFKA_OFFSET,
  [ATTR_KAFKA_MESSAGE_TOMBSTONE]: ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  [ATTR_KAFKA_CLUSTER_ID]: ATTR_MESSAGING_KAFKA_CLUSTER_ID,
  [ATTR_RABBITMQ_DESTINATION_ROUTING_KEY]: ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  [ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG]: ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG,
  [ATTR_FAAS_INVOCATION_ID]: ATTR_FAAS_INVOCATION_ID_1_44,
});

/** `messaging.system.name` value (1.45) → `messaging.system` value (1.44). */
export const LEGACY_SYSTEM_VALUES: Readonly<Record<string, string>> = Object.freeze({
  [MESSAGING_SYSTEM_NAME_VALUE_KAFKA]: MESSAGING_SYSTEM_VALUE_KAFKA,
  [MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ]: MESSAGING_SYSTEM_VALUE_RABBITMQ,
  [MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS]: MESSAGING_SYSTEM_VALUE_AWS_SQS,
  [MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS]: MESSAGING_SYSTEM_VALUE_AWS_SNS,
});
