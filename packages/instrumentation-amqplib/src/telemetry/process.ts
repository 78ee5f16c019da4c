// CONSUMER `process {destination}` spans: one per delivery to a consume callback,
// or per message a `channel.get` caller hands to `processMessage`. The span ends
// when the handler returns, or when the promise it returns settles.
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import {
  HandlerUnsettledAtExitError,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  resolveConsumerContext,
  runUserHook,
  setMessageBodySize,
} from '@org/messaging-propagation';
import { endOperation, failedWith, SUCCEEDED, trackOpenOperation } from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { AmqpChannel, Message } from '../internal-types';
import { ChannelClosedError, isThenable } from './deps';
import type { AmqpTelemetryDeps } from './deps';
import {
  deliveredMessageAttributes,
  deliveryDestination,
  messageIdentity,
  producerContext,
  recall,
  remember,
} from './message';
import { channelServer } from './server';

/** A started process span and what ending it needs. */
interface ProcessSpan {
  span: Span;
  spanContext: Context;
  /** Ends the span and records the metrics. Idempotent. */
  finish(outcome: OperationOutcome): void;
}

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

function startProcessSpan(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel | undefined,
  message: Message,
  queue: string | undefined,
  /** Deliveries to a consumer count as consumed here; messages from `get` were counted on receive. */
  countConsumed: boolean,
): ProcessSpan {
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
  const attributes: Attributes = {
    ...messagingAttributes({
      operation: MessagingOperations.rabbitmq.process,
      destination: destination.name,
      anonymousDestination: destination.anonymous,
      ...messageIdentity(message),
      server: channelServer(owner),
    }),
    ...deliveredMessageAttributes(message),
  };
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.rabbitmq.process, destination.name),
      { kind: MessagingOperations.rabbitmq.process.spanKind, attributes, links: allLinks },
      parentContext,
    );
  if (config.captureBodySize === true) setMessageBodySize(span, message.content);
  runUserHook(deps.diag, 'consumeHook', config.consumeHook, span, { queue: queue ?? memory?.queue, message });
  remember(message, {
    queue: queue ?? memory?.queue,
    channel: owner,
    producer: producerSpanContext,
    processSpan: span.spanContext(),
  });

  let ended = false;
  let untrack: () => void = () => undefined;
  const finish = (outcome: OperationOutcome) => {
    if (ended) return;
    ended = true;
    untrack();
    endOperation(deps, 'amqplib process', { span, attributes, started }, outcome, {
      duration: 'process',
      consumed: countConsumed ? 1 : 0,
    });
  };
  untrack = trackOpenOperation(
    {
      abandon: (reason) =>
        finish(failedWith(reason === 'exit' ? new HandlerUnsettledAtExitError() : new ChannelClosedError())),
    },
    owner,
  );
  return { span, spanContext: trace.setSpan(parentContext, span), finish };
}

/** Runs the handler in the span's context; see {@link ProcessMode} for what is returned. */
function runInProcessSpan<T>(process: ProcessSpan, mode: ProcessMode, handler: () => T): T {
  let result: T;
  try {
    result = context.with(process.spanContext, handler);
  } catch (error) {
    process.finish(failedWith(error));
    throw error;
  }
  if (!isThenable(result)) {
    process.finish(SUCCEEDED);
    return result;
  }
  const settled = Promise.resolve(result).then(
    (value) => {
      process.finish(SUCCEEDED);
      return value;
    },
    (error: unknown) => {
      process.finish(failedWith(error));
      throw error;
    },
  );
  if (mode === 'awaited') return settled as T;
  // Nobody else holds `settled`: if the handler's promise rejected, it surfaces
  // as the same unhandled rejection the application would get without us.
  void settled;
  return result;
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
  let process: ProcessSpan;
  try {
    process = startProcessSpan(deps, channel, message, queue, mode === 'callback');
  } catch (error) {
    deps.diag.error('otel-mq: amqplib process instrumentation failed; processing uninstrumented', error);
    return handler();
  }
  return runInProcessSpan(process, mode, handler);
}
