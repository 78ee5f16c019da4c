import type { Attributes } from '@opentelemetry/api';
import type { MessagingOperation } from '../operations';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_DESTINATION_TEMPORARY,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM_NAME,
  ATTR_KAFKA_CLUSTER_ID,
} from '../semconv';
import { withLegacyNames } from '../semconv-stability';
import { serverAttributes } from './server';
import type { ServerAddress } from './server';

/** The attributes every messaging span of otel-mq may carry, whatever the system. */
export interface MessagingAttributesInput {
  operation: MessagingOperation;
  destination?: string | undefined;
  /** The destination is temporary (e.g. an exclusive auto-delete reply queue). */
  temporaryDestination?: boolean | undefined;
  /** The destination has a server-generated name. */
  anonymousDestination?: boolean | undefined;
  partitionId?: string | number | undefined;
  consumerGroup?: string | undefined;
  clientId?: string | undefined;
  /** Kafka: the cluster's id, as the brokers' metadata gives it (`kafka.cluster.id`). */
  clusterId?: string | undefined;
  /** Set for operations on batches; semconv asks for it only when the operation is a batch. */
  batchMessageCount?: number | undefined;
  messageId?: string | undefined;
  conversationId?: string | undefined;
  bodySize?: number | undefined;
  server?: ServerAddress | undefined;
}

/** Builds the common messaging attributes; undefined and empty inputs are left out. */
export function messagingAttributes(input: MessagingAttributesInput): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM_NAME]: input.operation.system,
    [ATTR_MESSAGING_OPERATION_NAME]: input.operation.name,
    [ATTR_MESSAGING_OPERATION_TYPE]: input.operation.type,
  };
  if (input.destination) attributes[ATTR_MESSAGING_DESTINATION_NAME] = input.destination;
  if (input.temporaryDestination) attributes[ATTR_MESSAGING_DESTINATION_TEMPORARY] = true;
  if (input.anonymousDestination) attributes[ATTR_MESSAGING_DESTINATION_ANONYMOUS] = true;
  if (input.partitionId !== undefined && input.partitionId !== '') {
    attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(input.partitionId);
  }
  if (input.consumerGroup) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = input.consumerGroup;
  if (input.clientId) attributes[ATTR_MESSAGING_CLIENT_ID] = input.clientId;
  if (input.clusterId) attributes[ATTR_KAFKA_CLUSTER_ID] = input.clusterId;
  if (input.batchMessageCount !== undefined) attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = input.batchMessageCount;
  addMessageAttributes(attributes, input);
  return withLegacyNames(Object.assign(attributes, serverAttributes(input.server)));
}

/** What differs per message among the common attributes. */
export type MessageIdentityInput = Pick<MessagingAttributesInput, 'messageId' | 'conversationId' | 'bodySize'>;

function addMessageAttributes(attributes: Attributes, input: MessageIdentityInput): Attributes {
  if (input.messageId) attributes[ATTR_MESSAGING_MESSAGE_ID] = input.messageId;
  if (input.conversationId) attributes[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID] = input.conversationId;
  if (input.bodySize !== undefined) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = input.bodySize;
  return attributes;
}

/**
 * The per-message common attributes alone (id, conversation id, body size), for
 * a span that started with a shared constant set and records.
 */
export function messageIdentityAttributes(input: MessageIdentityInput): Attributes {
  return addMessageAttributes({}, input);
}
