// CLIENT `receive {queue}` spans for channel.get (pull). The span starts with the
// call and ends when amqplib answers; a message's producer context is added as a
// link, since the producer is only known once the message has arrived.
import { context } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { MessagingOperations } from '@org/messaging-propagation';
import {
  isServerNamedRabbitMqQueue,
  messagingAttributes,
  RunningOperation,
  setMessageBodySize,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { OperationKind, OperationOutcome } from '@org/messaging-propagation/internal';
import type { AmqpChannel, Message } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import { deliveredMessageAttributes, isMessage, messageIdentity, producerSpanContext, remember } from './message';
import { channelServer } from './server';

/** A receive counts the message it got, if any; one still waiting when its channel closes ends as a ChannelClosedError. */
const RECEIVE: OperationKind = Object.freeze({
  what: 'amqplib receive',
  metrics: Object.freeze({ duration: 'client', consumed: 0 }),
  ownerClosedError: () => new ChannelClosedError(),
  // Ended at exit, which closes the channel too.
  exitError: () => new ChannelClosedError(),
});
const RECEIVED_ONE = Object.freeze({ duration: 'client', consumed: 1 } as const);

/** A started `get`: `received` ends it with what amqplib resolved (`false` when the queue was empty). */
export class ReceiveOperation extends RunningOperation {
  private message: Message | undefined;

  constructor(
    private readonly deps: AmqpTelemetryDeps,
    span: Span,
    parent: Context,
    attributes: Attributes,
    started: number,
    private readonly channel: AmqpChannel,
    private readonly queue: string | undefined,
  ) {
    super(deps, RECEIVE, span, parent, attributes, started);
  }

  /** Ends the span with amqplib's answer: a message (linked to its producer and counted), or none. Idempotent. */
  received(outcome: OperationOutcome, message?: unknown): void {
    if (this.hasEnded) return;
    this.message = !outcome.failed && isMessage(message) ? message : undefined;
    this.finish(outcome, this.message ? RECEIVED_ONE : undefined);
  }

  protected override beforeEnd(): void {
    const received = this.message;
    if (!received) return;
    const span = this.span;
    const producer = producerSpanContext(received);
    if (producer) span.addLink({ context: producer });
    span.setAttributes({
      ...messagingAttributes({
        operation: MessagingOperations.rabbitmq.receive,
        ...messageIdentity(received),
      }),
      ...deliveredMessageAttributes(received),
    });
    if (this.deps.config().captureBodySize) setMessageBodySize(span, received.content);
    remember(received, { queue: this.queue, channel: this.channel, producer, receiveSpan: span.spanContext() });
  }
}

/** Starts the receive span of one `get`, tracked on its channel. Throws only if our own code fails. */
export function startReceive(deps: AmqpTelemetryDeps, channel: AmqpChannel, queue: unknown): ReceiveOperation {
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
  const parent = context.active();
  const span = startMessagingSpan(deps.tracer(), MessagingOperations.rabbitmq.receive, destination, parent, attributes);
  // Ended when the channel closes, or at exit.
  return new ReceiveOperation(deps, span, parent, attributes, started, channel, queueName).track(channel);
}
