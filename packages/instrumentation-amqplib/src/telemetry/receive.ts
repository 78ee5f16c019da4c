// CLIENT `receive {queue}` spans for channel.get (pull). The span starts with the
// call and ends when amqplib answers; a message's producer context is added as a
// link, since the producer is only known once the message has arrived.
import { context } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { MessagingOperations, messagingSpanName } from '@org/messaging-propagation';
import {
  endOperation,
  failedWith,
  isServerNamedRabbitMqQueue,
  messagingAttributes,
  setMessageBodySize,
  trackOpenOperation,
} from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { AmqpChannel } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import { deliveredMessageAttributes, isMessage, messageIdentity, producerSpanContext, remember } from './message';
import { channelServer } from './server';

/** Ends a receive span, with what amqplib resolved when it succeeded (`false` when the queue was empty). Idempotent. */
export type FinishReceive = (outcome: OperationOutcome, message?: unknown) => void;

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
  const finish: FinishReceive = (outcome, message) => {
    if (ended) return;
    ended = true;
    untrack();
    const received = outcome.failed ? undefined : message;
    try {
      if (isMessage(received)) {
        const producer = producerSpanContext(received);
        if (producer) span.addLink({ context: producer });
        span.setAttributes({
          ...messagingAttributes({
            operation: MessagingOperations.rabbitmq.receive,
            ...messageIdentity(received),
          }),
          ...deliveredMessageAttributes(received),
        });
        if (config.captureBodySize === true) setMessageBodySize(span, received.content);
        remember(received, { queue: queueName, channel, producer, receiveSpan: span.spanContext() });
      }
    } catch (telemetryError) {
      deps.diag.error('otel-mq: amqplib receive telemetry failed', telemetryError);
    }
    endOperation(deps, 'amqplib receive', { span, attributes, started }, outcome, {
      duration: 'client',
      consumed: isMessage(received) ? 1 : 0,
    });
  };
  // Ended when the channel closes, or at exit, which closes it too.
  untrack = trackOpenOperation({ abandon: () => finish(failedWith(new ChannelClosedError())) }, channel);
  return finish;
}
