// CLIENT `receive {queue}` spans for channel.get (pull). The span starts with the
// call and ends when amqplib answers; a message's producer context is added as a
// link, since the producer is only known once the message has arrived.
import { context } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import {
  isServerNamedRabbitMqQueue,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  recordSpanError,
  metricAttributes,
  secondsSince,
} from '@org/messaging-propagation';
import type { AmqpChannel } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import { deliveredMessageAttributes, isMessage, messageIdentity, producerSpanContext, remember } from './message';
import { trackOpen } from './open-operations';
import { channelServer } from './server';

/** Ends a receive span: with the error, or with what amqplib resolved (`false` when the queue was empty). Idempotent. */
export type FinishReceive = (error: unknown, message?: unknown) => void;

/** Starts the receive span of one `get`. Throws only if our own code fails. */
export function startReceive(deps: AmqpTelemetryDeps, channel: AmqpChannel, queue: unknown): FinishReceive {
  const config = deps.config();
  const started = performance.now();
  const queueName = typeof queue === 'string' && queue.length > 0 ? queue : undefined;
  const anonymous = isServerNamedRabbitMqQueue(queueName);
  const destination = anonymous ? undefined : queueName;
  const attributes: Attributes = messagingAttributes({
    operation: MessagingOperations.rabbitmq.receive,
    destination,
    anonymousDestination: anonymous,
    server: channelServer(channel),
  });
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.rabbitmq.receive, destination),
      { kind: MessagingOperations.rabbitmq.receive.spanKind, attributes },
      context.active(),
    );

  let ended = false;
  let untrack: () => void = () => undefined;
  const finish: FinishReceive = (error, message) => {
    if (ended) return;
    ended = true;
    try {
      untrack();
      const received = error === undefined || error === null ? message : undefined;
      if (isMessage(received)) {
        const producer = producerSpanContext(received);
        if (producer) span.addLink({ context: producer });
        span.setAttributes({
          ...messagingAttributes({
            operation: MessagingOperations.rabbitmq.receive,
            ...messageIdentity(received),
            bodySize:
              config.captureBodySize === true && Buffer.isBuffer(received.content)
                ? received.content.length
                : undefined,
          }),
          ...deliveredMessageAttributes(received),
        });
        remember(received, { queue: queueName, channel, producer, receiveSpan: span.spanContext() });
      }
      const failed = error !== undefined && error !== null;
      if (failed) recordSpanError(span, error);
      span.end();
      const metricAttrs = metricAttributes(attributes, failed ? error : undefined);
      const metrics = deps.metrics();
      metrics.clientOperationDuration.record(secondsSince(started), metricAttrs);
      if (isMessage(received)) metrics.consumedMessages.add(1, metricAttrs);
    } catch (telemetryError) {
      deps.diag.error('otel-mq: amqplib receive telemetry failed', telemetryError);
    }
  };
  untrack = trackOpen(channel, { abandon: () => finish(new ChannelClosedError()) });
  return finish;
}
