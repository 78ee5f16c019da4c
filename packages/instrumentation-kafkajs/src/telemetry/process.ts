// The CONSUMER `process {topic}` span of one consumed message, parented per the
// consumer context policy: used by eachMessage, by the batch helper and by the
// per-message spans inside eachBatch.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Attributes, Link } from '@opentelemetry/api';
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
import { ConstantAttributes, runInOperation, RunningOperation } from '@org/messaging-propagation/internal';
import type { ClientFacts, ConsumedMessage } from '../internal-types';
import { BATCH_MESSAGE_PROCESS, clientAttributes, MESSAGE_PROCESS } from './deps';
import type { KafkaTelemetryDeps } from './deps';

export interface MessageFacts {
  client: ClientFacts;
  topic: string;
  partition: number;
  message: ConsumedMessage;
}

const processAttributes = new ConstantAttributes();

/** The attributes every process span of this consumer, topic and partition starts with: built once. */
function constantProcessAttributes(client: ClientFacts, topic: string, partition: number): Attributes {
  const key = `${partition}:${topic}`;
  const known = processAttributes.get(client, key);
  if (known) return known;
  const { clientId, server, clusterId } = clientAttributes(client);
  const attributes = messagingAttributes({
    operation: MessagingOperations.kafka.process,
    destination: topic,
    partitionId: partition,
    consumerGroup: client.groupId,
    clientId,
    clusterId,
    server,
  });
  // Until the brokers' metadata names the cluster the set is not final: built per message until then.
  return clusterId === undefined ? attributes : processAttributes.remember(client, key, attributes);
}

/** Starts the process span of one message; throws only on a bug, callers catch. */
export function startMessageProcessSpan(
  deps: KafkaTelemetryDeps,
  { client, topic, partition, message }: MessageFacts,
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
  const span = deps.tracer().startSpan(
    messagingSpanName(MessagingOperations.kafka.process, topic),
    {
      kind: MessagingOperations.kafka.process.spanKind,
      // What a sampler may read; the per-message attributes follow only if the span records.
      attributes,
      links: options.extraLinks ? [...links, ...options.extraLinks] : links,
      // A `performance.now()` reading: the SDK converts it on its own clock.
      startTime: started,
    },
    parentContext,
  );
  if (span.isRecording()) {
    span.setAttributes(
      Object.assign(
        kafkaMessageAttributes(
          { key: message.key, offset: message.offset, tombstone: message.value === null },
          { captureKey: config.captureMessageKey !== false },
        ),
        deliveryAttributes({
          brokerTimestampMs: message.timestamp,
          // The wall-clock time of `started`, as the SDK reckons it.
          processingStartMs: Date.now() - (performance.now() - started),
        }),
      ),
    );
  }
  if (config.captureBodySize === true) setMessageBodySize(span, message.value);
  runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, { topic, partition, offset: message.offset });
  return new RunningOperation(
    deps,
    // Inside eachBatch the batch span counts the consumed messages.
    options.inBatch ? BATCH_MESSAGE_PROCESS : MESSAGE_PROCESS,
    span,
    trace.setSpan(parentContext, span),
    attributes,
    started,
  );
}

/**
 * Runs `handler` for one consumed message inside its process span. The handler's
 * result or error reaches kafkajs unchanged.
 */
export function traceProcess<T>(deps: KafkaTelemetryDeps, facts: MessageFacts, handler: () => Promise<T>): Promise<T> {
  let process: RunningOperation;
  try {
    // Tracked until the handler settles: ended at process exit if it never does.
    process = startMessageProcessSpan(deps, facts).track();
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs process instrumentation failed; processing uninstrumented', error);
    return handler();
  }
  return runInOperation(process, handler);
}
