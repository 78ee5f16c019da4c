// PRODUCER `publish {exchange}:{routing key}` spans for channel.publish and
// sendToQueue, the context injected into a copy of the options' headers.
import { context } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { amqpHeadersSetter, injectIntoCopy, MessagingOperations } from '@org/messaging-propagation';
import type { AmqpHeaders } from '@org/messaging-propagation';
import {
  ConstantAttributes,
  messageIdentityAttributes,
  messagingAttributes,
  rabbitMqAttributes,
  rabbitMqPublishDestination,
  RunningOperation,
  runUserHook,
  setMessageBodySize,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { OperationKind, OperationOutcome } from '@org/messaging-propagation/internal';
import type { AmqpChannel, PublishOptions } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import { channelServer } from './server';

/** A publish counts one message sent; one that awaits a confirm ends as a ChannelClosedError if it never comes. */
const PUBLISH: OperationKind = Object.freeze({
  what: 'amqplib publish',
  metrics: Object.freeze({ duration: 'client', sent: 1 }),
  ownerClosedError: () => new ChannelClosedError(),
  // Ended at exit, which closes the channel too.
  exitError: () => new ChannelClosedError(),
});

/**
 * A started publish: the options to publish with; `finish` ends it (running the
 * confirm hook first, for a publish awaiting a confirm), `discard` drops it
 * unrecorded (the instrumentation was disabled meanwhile).
 */
export class PublishOperation extends RunningOperation {
  constructor(
    private readonly deps: AmqpTelemetryDeps,
    span: Span,
    parent: Context,
    attributes: Attributes,
    started: number,
    /** A copy of the caller's options whose `headers` (also a copy) carry the context; unusable options as given. */
    readonly options: unknown,
    private readonly exchange: string,
    private readonly routingKey: string,
    private readonly confirm: boolean,
  ) {
    super(deps, PUBLISH, span, parent, attributes, started);
  }

  protected override beforeEnd(outcome: OperationOutcome): void {
    const hook = this.confirm ? this.deps.config().publishConfirmHook : undefined;
    if (!hook) return;
    runUserHook(this.deps.diag, 'publishConfirmHook', hook, this.span, {
      exchange: this.exchange,
      routingKey: this.routingKey,
      confirmed: !outcome.failed,
      error: outcome.failed ? outcome.error : null,
    });
  }
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
 * Starts the span of one publish (`args`: the caller's `exchange, routingKey,
 * content, options`) and prepares the options to send. `confirm` publishes stay
 * tracked on the channel until the broker answers (or the channel closes).
 * Throws only if our own code fails: the caller then publishes uninstrumented.
 */
export function startPublish(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel,
  args: readonly unknown[],
  confirm: boolean,
): PublishOperation {
  const config = deps.config();
  const started = performance.now();
  const given = args[3];
  const exchange = typeof args[0] === 'string' ? args[0] : '';
  const routingKey = typeof args[1] === 'string' ? args[1] : '';
  const usableOptions = given === undefined || given === null || typeof given === 'object';
  if (!usableOptions) {
    deps.diag.warn('otel-mq: amqplib publish options are not an object; the message is published without context');
  }
  const options: PublishOptions = typeof given === 'object' && given !== null ? { ...(given as PublishOptions) } : {};
  const destination = rabbitMqPublishDestination(exchange, routingKey);
  const attributes = constantPublishAttributes(channel, destination);
  const parent = context.active();
  const span = startMessagingSpan(deps.tracer(), MessagingOperations.rabbitmq.publish, destination, parent, attributes);
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
    if (config.captureBodySize) setMessageBodySize(span, args[2]);
  }
  if (config.publishHook) {
    runUserHook(deps.diag, 'publishHook', config.publishHook, span, {
      exchange,
      routingKey,
      content: args[2],
      options: given,
      confirm,
    });
  }
  const publish = new PublishOperation(
    deps,
    span,
    parent,
    attributes,
    started,
    usableOptions ? options : given,
    exchange,
    routingKey,
    confirm,
  );
  const givenHeaders = usableOptions ? (given as PublishOptions | null | undefined)?.headers : undefined;
  options.headers = injectIntoCopy<AmqpHeaders>(publish.context, givenHeaders, amqpHeadersSetter);
  if (givenHeaders !== undefined && givenHeaders !== null && options.headers === givenHeaders) {
    deps.diag.warn('otel-mq: amqplib publish headers are not a header table; the message is published without context');
  }
  // Ended when the channel closes, or at exit.
  return confirm ? publish.track(channel) : publish;
}
