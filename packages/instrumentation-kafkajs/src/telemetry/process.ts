// The CONSUMER `process {topic}` span of one consumed message, parented per the
// consumer context policy: used by eachMessage, by the batch helper and by the
// per-message spans inside eachBatch.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Link } from '@opentelemetry/api';
import {
  deliveryAttributes,
  extractFromCarrier,
  kafkaHeadersGetter,
  kafkaMessageAttributes,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  resolveConsumerContext,
  runUserHook,
  setMessageBodySize,
} from '@org/messaging-propagation';
import type { ClientFacts, ConsumedMessage } from '../internal-types';
import { clientAttributes, runInProcessSpan } from './deps';
import type { KafkaTelemetryDeps, ProcessSpan } from './deps';

export interface MessageFacts {
  client: ClientFacts;
  topic: string;
  partition: number;
  message: ConsumedMessage;
}

/** Starts the process span of one message; throws only on a bug, callers catch. */
export function startMessageProcessSpan(
  deps: KafkaTelemetryDeps,
  { client, topic, partition, message }: MessageFacts,
  options: { startedAt?: number; extraLinks?: Link[]; inBatch?: boolean } = {},
): ProcessSpan {
  const started = options.startedAt ?? performance.now();
  const config = deps.config();
  const { parentContext, links } = resolveConsumerContext(extractFromCarrier(message.headers, kafkaHeadersGetter), {
    system: 'kafka',
    destination: topic,
    policy: config.consumerContextPolicy,
    base: ROOT_CONTEXT,
    logger: deps.diag,
  });
  const { clientId, server, clusterId } = clientAttributes(client);
  // Object.assign into the first object: one fewer copy per message than spreading all three.
  const attributes = Object.assign(
    messagingAttributes({
      operation: MessagingOperations.kafka.process,
      destination: topic,
      partitionId: partition,
      consumerGroup: client.groupId,
      clientId,
      clusterId,
      server,
    }),
    kafkaMessageAttributes(
      { key: message.key, offset: message.offset, tombstone: message.value === null },
      { captureKey: config.captureMessageKey !== false },
    ),
    deliveryAttributes({
      brokerTimestampMs: message.timestamp,
      // The wall-clock time of `started`, as the SDK reckons it.
      processingStartMs: Date.now() - (performance.now() - started),
    }),
  );
  const span = deps.tracer().startSpan(
    messagingSpanName(MessagingOperations.kafka.process, topic),
    {
      kind: MessagingOperations.kafka.process.spanKind,
      attributes,
      links: options.extraLinks ? [...links, ...options.extraLinks] : links,
      // A `performance.now()` reading: the SDK converts it on its own clock.
      startTime: started,
    },
    parentContext,
  );
  if (config.captureBodySize === true) setMessageBodySize(span, message.value);
  runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, { topic, partition, offset: message.offset });
  return {
    span,
    spanContext: trace.setSpan(parentContext, span),
    attributes,
    started,
    // Inside eachBatch the batch span counts the consumed messages.
    messageCount: options.inBatch ? 0 : 1,
    recordDuration: true,
  };
}

/**
 * Runs `handler` for one consumed message inside its process span. The handler's
 * result or error reaches kafkajs unchanged.
 */
export function traceProcess<T>(deps: KafkaTelemetryDeps, facts: MessageFacts, handler: () => Promise<T>): Promise<T> {
  let process: ProcessSpan;
  try {
    process = startMessageProcessSpan(deps, facts);
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs process instrumentation failed; processing uninstrumented', error);
    return handler();
  }
  return runInProcessSpan(deps, process, handler);
}
