// PRODUCER `publish {exchange}:{routing key}` spans for channel.publish and
// sendToQueue, the context injected into a copy of the options' headers.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { amqpHeadersSetter, injectIntoCopy, MessagingOperations, messagingSpanName } from '@org/messaging-propagation';
import type { AmqpHeaders } from '@org/messaging-propagation';
import {
  ConstantAttributes,
  endOperation,
  failedWith,
  messageIdentityAttributes,
  messagingAttributes,
  rabbitMqAttributes,
  rabbitMqPublishDestination,
  runUserHook,
  setMessageBodySize,
  trackOpenOperation,
} from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { AmqpChannel, PublishOptions } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import { channelServer } from './server';

/** The arguments of one publish call, as the application gave them. */
export interface PublishCall {
  exchange: unknown;
  routingKey: unknown;
  content: unknown;
  options: unknown;
}

/** A started publish span: the options to publish with, and how to end it. */
export interface StartedPublish {
  /** A copy of the caller's options whose `headers` (also a copy) carry the context; unusable options as given. */
  options: unknown;
  /** Ends the span and records the metrics. Idempotent. */
  finish(outcome: OperationOutcome): void;
  /** Drops the span unrecorded (no end, hook or metric): the instrumentation was disabled meanwhile. Idempotent. */
  discard(): void;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Buffer.isBuffer(value) && value.length > 0) return value.toString('utf8');
  return undefined;
}

const publishAttributes = new ConstantAttributes();

/** The attributes every publish span of this channel to this destination starts with: built once per channel. */
function constantPublishAttributes(channel: AmqpChannel, destination: string): Attributes {
  return (
    publishAttributes.get(channel, destination) ??
    publishAttributes.remember(
      channel,
      destination,
      messagingAttributes({
        operation: MessagingOperations.rabbitmq.publish,
        destination,
        server: channelServer(channel),
      }),
    )
  );
}

/**
 * Starts the span of one publish and prepares the options to send. `confirm`
 * publishes stay tracked on the channel until the broker answers (or the channel
 * closes). Throws only if our own code fails: the caller then publishes uninstrumented.
 */
export function startPublish(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel,
  call: PublishCall,
  confirm: boolean,
): StartedPublish {
  const config = deps.config();
  const started = performance.now();
  const exchange = typeof call.exchange === 'string' ? call.exchange : '';
  const routingKey = typeof call.routingKey === 'string' ? call.routingKey : '';
  const usableOptions = call.options === undefined || call.options === null || typeof call.options === 'object';
  if (!usableOptions) {
    deps.diag.warn('otel-mq: amqplib publish options are not an object; the message is published without context');
  }
  const options: PublishOptions =
    typeof call.options === 'object' && call.options !== null ? { ...(call.options as PublishOptions) } : {};
  const destination = rabbitMqPublishDestination(exchange, routingKey);
  const attributes = constantPublishAttributes(channel, destination);
  const parent = context.active();
  const span: Span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.rabbitmq.publish, destination),
      { kind: MessagingOperations.rabbitmq.publish.spanKind, attributes },
      parent,
    );
  if (span.isRecording()) {
    span.setAttributes(
      Object.assign(
        messageIdentityAttributes({
          messageId: text(options.messageId),
          conversationId: text(options.correlationId),
        }),
        rabbitMqAttributes({ routingKey }),
      ),
    );
  }
  if (config.captureBodySize === true) setMessageBodySize(span, call.content);
  runUserHook(deps.diag, 'publishHook', config.publishHook, span, {
    exchange,
    routingKey,
    content: call.content,
    options: call.options,
    confirm,
  });
  options.headers = injectIntoCopy<AmqpHeaders>(trace.setSpan(parent, span), options.headers, amqpHeadersSetter);
  const given = usableOptions ? (call.options as PublishOptions | null | undefined)?.headers : undefined;
  if (given !== undefined && given !== null && options.headers === given) {
    deps.diag.warn('otel-mq: amqplib publish headers are not a header table; the message is published without context');
  }

  let ended = false;
  let untrack: () => void = () => undefined;
  const finish = (outcome: OperationOutcome) => {
    if (ended) return;
    ended = true;
    untrack();
    if (confirm) {
      runUserHook(deps.diag, 'publishConfirmHook', config.publishConfirmHook, span, {
        exchange,
        routingKey,
        confirmed: !outcome.failed,
        error: outcome.failed ? outcome.error : null,
      });
    }
    endOperation(deps, 'amqplib publish', { span, attributes, started }, outcome, { duration: 'client', sent: 1 });
  };
  const discard = () => {
    if (ended) return;
    ended = true;
    untrack();
  };
  if (confirm) {
    // Ended when the channel closes, or at exit, which closes it too.
    untrack = trackOpenOperation({ abandon: () => finish(failedWith(new ChannelClosedError())) }, channel);
  }
  return { options: usableOptions ? options : call.options, finish, discard };
}
