// CONSUMER `process {destination}` spans: one per delivery to a consume callback,
// or per message a `channel.get` caller hands to `processMessage`. The span ends
// when the handler returns, or when the promise it returns settles.
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Attributes, Link } from '@opentelemetry/api';
import { MessagingOperations, resolveConsumerContext } from '@org/messaging-propagation';
import {
  ConstantAttributes,
  messageIdentityAttributes,
  messagingAttributes,
  runInOperationAsReturned,
  RunningOperation,
  runUserHook,
  setMessageBodySize,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { OperationKind } from '@org/messaging-propagation/internal';
import type { AmqpChannel, Message } from '../internal-types';
import { ChannelClosedError } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import type { DeliveryDestination } from './message';
import {
  deliveredMessageAttributes,
  deliveryDestination,
  messageIdentity,
  producerContext,
  recall,
  remember,
} from './message';
import { channelServer } from './server';

/** The end of a process span: deliveries to a consumer count as consumed here, messages from `get` on receive. */
const PROCESS_DELIVERY: OperationKind = Object.freeze({
  what: 'amqplib process',
  metrics: Object.freeze({ duration: 'process', consumed: 1 }),
  ownerClosedError: () => new ChannelClosedError(),
});
const PROCESS_GOT: OperationKind = Object.freeze({
  ...PROCESS_DELIVERY,
  metrics: Object.freeze({ duration: 'process', consumed: 0 }),
});

/** How the handler's outcome is handed back. */
export type ProcessMode =
  /**
   * Consume callbacks: amqplib ignores what they return, so the original value is
   * returned. A rejected promise still surfaces as an unhandled rejection with the
   * same reason, as it would without the plugin.
   */
  | 'callback'
  /** `processMessage`: the caller awaits the result, so a promise settling like the handler's is returned. */
  | 'awaited';

const processAttributes = new ConstantAttributes();

/** The attributes every process span of this channel and destination starts with: built once per channel. */
function constantProcessAttributes(owner: AmqpChannel | undefined, destination: DeliveryDestination): Attributes {
  const key = destination.anonymous ? `anonymous:${destination.name}` : destination.name;
  const known = owner ? processAttributes.get(owner, key) : undefined;
  if (known) return known;
  const attributes = messagingAttributes({
    operation: MessagingOperations.rabbitmq.process,
    destination: destination.name,
    anonymousDestination: destination.anonymous,
    server: channelServer(owner),
  });
  return owner ? processAttributes.remember(owner, key, attributes) : attributes;
}

function startProcessSpan(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel | undefined,
  message: Message,
  queue: string | undefined,
  /** Deliveries to a consumer count as consumed here; messages from `get` were counted on receive. */
  countConsumed: boolean,
): RunningOperation {
  const config = deps.config();
  const started = performance.now();
  const memory = recall(message);
  const owner = channel ?? memory?.channel;
  const destination = deliveryDestination(message, queue ?? memory?.queue);
  const { parentContext, links, producerSpanContext } = resolveConsumerContext(producerContext(message), {
    system: MessagingOperations.rabbitmq.process.system,
    destination: destination.name,
    policy: config.consumerContextPolicy,
    base: ROOT_CONTEXT,
    logger: deps.diag,
  });
  const allLinks: Link[] = memory?.receiveSpan ? [...links, { context: memory.receiveSpan }] : links;
  const attributes = constantProcessAttributes(owner, destination);
  const span = startMessagingSpan(
    deps.tracer(),
    MessagingOperations.rabbitmq.process,
    destination.name,
    parentContext,
    attributes,
    allLinks,
  );
  if (span.isRecording()) {
    span.setAttributes(
      Object.assign(messageIdentityAttributes(messageIdentity(message)), deliveredMessageAttributes(message)),
    );
  }
  if (config.captureBodySize) setMessageBodySize(span, message.content);
  if (config.consumeHook) {
    runUserHook(deps.diag, 'consumeHook', config.consumeHook, span, { queue: queue ?? memory?.queue, message });
  }
  remember(message, {
    queue: queue ?? memory?.queue,
    channel: owner,
    producer: producerSpanContext,
    processSpan: span.spanContext(),
  });

  return new RunningOperation(
    deps,
    countConsumed ? PROCESS_DELIVERY : PROCESS_GOT,
    span,
    parentContext,
    attributes,
    started,
  ).track(owner);
}

/**
 * Runs `handler` for one message in a CONSUMER process span whose parent follows
 * the consumer context policy. The handler is called exactly once; its result or
 * error is passed on as {@link ProcessMode} says.
 */
export function traceProcess<T>(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel | undefined,
  message: Message,
  queue: string | undefined,
  mode: ProcessMode,
  handler: () => T,
): T {
  let process: RunningOperation;
  try {
    process = startProcessSpan(deps, channel, message, queue, mode === 'callback');
  } catch (error) {
    deps.diag.error('otel-mq: amqplib process instrumentation failed; processing uninstrumented', error);
    return handler();
  }
  return runInOperationAsReturned(process, handler, mode === 'awaited' ? 'as-returned' : 'ignored');
}
