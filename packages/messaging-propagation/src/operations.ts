import { SpanKind } from '@opentelemetry/api';
import {
  MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_RECEIVE,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_OPERATION_TYPE_VALUE_SETTLE,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS,
  MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS,
  MESSAGING_SYSTEM_NAME_VALUE_KAFKA,
  MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ,
} from './semconv';

export type MessagingSystem =
  | typeof MESSAGING_SYSTEM_NAME_VALUE_KAFKA
  | typeof MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ
  | typeof MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS
  | typeof MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS;

export type MessagingOperationType =
  | typeof MESSAGING_OPERATION_TYPE_VALUE_CREATE
  | typeof MESSAGING_OPERATION_TYPE_VALUE_SEND
  | typeof MESSAGING_OPERATION_TYPE_VALUE_RECEIVE
  | typeof MESSAGING_OPERATION_TYPE_VALUE_PROCESS
  | typeof MESSAGING_OPERATION_TYPE_VALUE_SETTLE;

/** One messaging operation: its system-specific name, its semconv type and the span kind that goes with it. */
export interface MessagingOperation {
  readonly system: MessagingSystem;
  /** `messaging.operation.name`: the system-specific name, also the first word of the span name. */
  readonly name: string;
  /** `messaging.operation.type` */
  readonly type: MessagingOperationType;
  readonly spanKind: SpanKind;
}

/**
 * Span kind per operation type (semconv messaging-spans, v1.45): create/send are
 * PRODUCER, receive (pull) and settle are CLIENT, process (push delivery) is CONSUMER.
 */
export function spanKindForOperationType(type: MessagingOperationType): SpanKind {
  switch (type) {
    case MESSAGING_OPERATION_TYPE_VALUE_CREATE:
    case MESSAGING_OPERATION_TYPE_VALUE_SEND:
      return SpanKind.PRODUCER;
    case MESSAGING_OPERATION_TYPE_VALUE_PROCESS:
      return SpanKind.CONSUMER;
    case MESSAGING_OPERATION_TYPE_VALUE_RECEIVE:
    case MESSAGING_OPERATION_TYPE_VALUE_SETTLE:
      return SpanKind.CLIENT;
  }
}

function operation(system: MessagingSystem, name: string, type: MessagingOperationType): MessagingOperation {
  return Object.freeze({ system, name, type, spanKind: spanKindForOperationType(type) });
}

const KAFKA = MESSAGING_SYSTEM_NAME_VALUE_KAFKA;
const RABBITMQ = MESSAGING_SYSTEM_NAME_VALUE_RABBITMQ;
const SQS = MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS;
const SNS = MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS;

/** Every operation the otel-mq plugins record. Plugins take operations from here and name none of their own. */
export const MessagingOperations = Object.freeze({
  kafka: Object.freeze({
    create: operation(KAFKA, 'create', MESSAGING_OPERATION_TYPE_VALUE_CREATE),
    send: operation(KAFKA, 'send', MESSAGING_OPERATION_TYPE_VALUE_SEND),
    poll: operation(KAFKA, 'poll', MESSAGING_OPERATION_TYPE_VALUE_RECEIVE),
    process: operation(KAFKA, 'process', MESSAGING_OPERATION_TYPE_VALUE_PROCESS),
    commit: operation(KAFKA, 'commit', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
  }),
  rabbitmq: Object.freeze({
    publish: operation(RABBITMQ, 'publish', MESSAGING_OPERATION_TYPE_VALUE_SEND),
    receive: operation(RABBITMQ, 'receive', MESSAGING_OPERATION_TYPE_VALUE_RECEIVE),
    process: operation(RABBITMQ, 'process', MESSAGING_OPERATION_TYPE_VALUE_PROCESS),
    ack: operation(RABBITMQ, 'ack', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
    nack: operation(RABBITMQ, 'nack', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
    reject: operation(RABBITMQ, 'reject', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
  }),
  sqs: Object.freeze({
    create: operation(SQS, 'create', MESSAGING_OPERATION_TYPE_VALUE_CREATE),
    send: operation(SQS, 'send', MESSAGING_OPERATION_TYPE_VALUE_SEND),
    receive: operation(SQS, 'receive', MESSAGING_OPERATION_TYPE_VALUE_RECEIVE),
    process: operation(SQS, 'process', MESSAGING_OPERATION_TYPE_VALUE_PROCESS),
    delete: operation(SQS, 'delete', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
    changeVisibility: operation(SQS, 'change_visibility', MESSAGING_OPERATION_TYPE_VALUE_SETTLE),
  }),
  sns: Object.freeze({
    /** `Publish` and `PublishBatch` (semconv aws-sns: operation name `send`). */
    send: operation(SNS, 'send', MESSAGING_OPERATION_TYPE_VALUE_SEND),
  }),
});
