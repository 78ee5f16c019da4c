// The CONSUMER `process {topic}` span of one consumed message, parented per the
// consumer context policy: used by eachMessage, by the batch helper and by the
// per-message spans inside eachBatch, for every kafkajs-shaped client.
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Attributes, Link } from '@opentelemetry/api';
import { setMessageBodySize } from '../attributes/body-size';
import { messagingAttributes } from '../attributes/common';
import { deliveryAttributes } from '../attributes/delivery';
import { kafkaMessageAttributes } from '../attributes/kafka';
import { kafkaHeadersGetter } from '../carriers/kafka-headers';
import { ConstantAttributes } from '../constant-attributes';
import { resolveConsumerContext } from '../context-policy';
import { extractFromCarrier } from '../extract';
import { MessagingOperations } from '../operations';
import { runInOperation, RunningOperation } from '../running-operation';
import type { OperationKind } from '../running-operation';
import { runUserHook } from '../safe-execute';
import { startMessagingSpan } from '../start-span';
import { kafkaClientAttributes, perPluginLabel } from './telemetry';
import type { KafkaClientFacts, KafkaConsumedMessage, KafkaTelemetry } from './telemetry';

export interface KafkaMessageProcessFacts {
  client: KafkaClientFacts;
  topic: string;
  partition: number;
  message: KafkaConsumedMessage;
}

interface ProcessKinds {
  message: OperationKind;
  /** Inside eachBatch the batch span counts the consumed messages. */
  inBatch: OperationKind;
}
/** The ends of a plugin's process spans. */
const kindsFor = perPluginLabel((label): ProcessKinds => {
  // Started at a `performance.now()` reading: ended at one, so the SDK maps both
  // onto the wall clock with one offset and the span still contains its children.
  const message: OperationKind = Object.freeze({
    what: `${label} process`,
    metrics: Object.freeze({ duration: 'process', consumed: 1 }),
    endAtReading: true,
  });
  const inBatch = Object.freeze({ ...message, metrics: Object.freeze({ duration: 'process', consumed: 0 }) });
  return { message, inBatch };
});

const processAttributes = new ConstantAttributes();

/** The attributes every process span of this consumer, topic and partition starts with: built once. */
function constantProcessAttributes(client: KafkaClientFacts, topic: string, partition: number): Attributes {
  const key = `${partition}:${topic}`;
  const known = processAttributes.get(client, key);
  if (known) return known;
  const { clientId, server, clusterId } = kafkaClientAttributes(client);
  const attributes = messagingAttributes({
    operation: MessagingOperations.kafka.process,
    destination: topic,
    partitionId: partition,
    consumerGroup: client.groupId,
    clientId,
    clusterId,
    server,
  });
  // A client whose metadata will name the cluster: the set is not final until it does.
  const final = clusterId !== undefined || client.clusterId === undefined;
  return final ? processAttributes.remember(client, key, attributes) : attributes;
}

/** Starts the process span of one message; throws only on a bug, callers catch. */
export function startKafkaProcessSpan(
  deps: KafkaTelemetry,
  { client, topic, partition, message }: KafkaMessageProcessFacts,
  options: { startedAt?: number; extraLinks?: Link[]; inBatch?: boolean } = {},
): RunningOperation {
  const started = options.startedAt ?? performance.now();
  const config = deps.config();
  const { parentContext, links } = resolveConsumerContext(extractFromCarrier(message.headers, kafkaHeadersGetter), {
    system: 'kafka',
    destination: topic,
    policy: config.consumerContextPolicy,
    base: ROOT_CONTEXT,
    logger: deps.diag,
  });
  const attributes = constantProcessAttributes(client, topic, partition);
  const span = startMessagingSpan(
    deps.tracer(),
    MessagingOperations.kafka.process,
    topic,
    parentContext,
    // What a sampler may read; the per-message attributes follow only if the span records.
    attributes,
    options.extraLinks ? [...links, ...options.extraLinks] : links,
    started,
  );
  if (span.isRecording()) {
    span.setAttributes(
      Object.assign(
        kafkaMessageAttributes(
          { key: message.key, offset: message.offset, tombstone: message.value === null },
          { captureKey: config.captureMessageKey },
        ),
        deliveryAttributes({
          brokerTimestampMs: message.timestamp,
          // The wall-clock time of `started`, as the SDK reckons it.
          processingStartMs: Date.now() - (performance.now() - started),
        }),
      ),
    );
    if (config.captureBodySize) setMessageBodySize(span, message.value);
  }
  if (config.consumerHook) {
    runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, { topic, partition, offset: message.offset });
  }
  const kinds = kindsFor(deps.label);
  return new RunningOperation(
    deps,
    options.inBatch ? kinds.inBatch : kinds.message,
    span,
    parentContext,
    attributes,
    started,
  );
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
  let process: RunningOperation;
  try {
    // Tracked until the handler settles: ended at process exit if it never does.
    process = startKafkaProcessSpan(deps, facts).track();
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} process instrumentation failed; processing uninstrumented`, error);
    return handler();
  }
  return runInOperation(process, handler);
}
