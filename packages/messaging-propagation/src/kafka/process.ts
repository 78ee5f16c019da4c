// The CONSUMER `process {topic}` span of one consumed message, parented per the
// consumer context policy: used by eachMessage, by the batch helper, by the
// per-message spans inside eachBatch, and by native consumers' messages.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Link } from '@opentelemetry/api';
import { messagingAttributes } from '../attributes/common';
import { deliveryAttributes } from '../attributes/delivery';
import { kafkaMessageAttributes } from '../attributes/kafka';
import { kafkaHeadersGetter } from '../carriers/kafka-headers';
import { resolveConsumerContext } from '../context-policy';
import { extractFromCarrier } from '../extract';
import { MessagingOperations } from '../operations';
import { runUserHook } from '../safe-execute';
import { messagingSpanName } from '../span-name';
import { runInProcessSpan } from './process-span';
import type { ProcessSpan } from './process-span';
import { kafkaClientAttributes } from './telemetry';
import type { KafkaClientFacts, KafkaConsumedMessage, KafkaTelemetry } from './telemetry';

export interface KafkaMessageProcessFacts {
  client: KafkaClientFacts;
  topic: string;
  partition: number;
  message: KafkaConsumedMessage;
}

/** Starts the process span of one message; throws only on a bug, callers catch. */
export function startKafkaProcessSpan(
  deps: KafkaTelemetry,
  { client, topic, partition, message }: KafkaMessageProcessFacts,
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
  const { clientId, server, clusterId } = kafkaClientAttributes(client);
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
 * result or error reaches the client unchanged.
 */
export function traceKafkaProcess<T>(
  deps: KafkaTelemetry,
  facts: KafkaMessageProcessFacts,
  handler: () => Promise<T>,
): Promise<T> {
  let process: ProcessSpan;
  try {
    process = startKafkaProcessSpan(deps, facts);
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} process instrumentation failed; processing uninstrumented`, error);
    return handler();
  }
  return runInProcessSpan(deps, process, handler);
}
