// CLIENT settle spans for ack, nack, reject, ackAll and nackAll. amqplib sends
// these without waiting for an answer, so each span covers the call alone. A span
// made inside the message's process span is its child; otherwise it links to it.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { MessagingOperations } from '@org/messaging-propagation';
import {
  failedWith,
  messagingAttributes,
  rabbitMqAttributes,
  RunningOperation,
  runUserHook,
  settleAttributes,
  startMessagingSpan,
  SUCCEEDED,
} from '@org/messaging-propagation/internal';
import type { OperationKind } from '@org/messaging-propagation/internal';
import type { AmqpChannel } from '../internal-types';
import type { AmqplibSettleHookInfo } from '../types';
import type { AmqpTelemetryDeps } from './deps';
import { deliveryDestination, isMessage, messageIdentity, producerSpanContext, recall } from './message';
import { channelServer } from './server';

export interface SettleCall {
  operation: AmqplibSettleHookInfo['operation'];
  /** The message settled; `undefined` for ackAll / nackAll. */
  message: unknown;
  multiple: boolean;
  requeue: boolean | undefined;
}

const SETTLE: OperationKind = Object.freeze({ what: 'amqplib settle', metrics: Object.freeze({ duration: 'client' }) });

/** A settle call's span: the settle hook runs at its end. */
class SettleOperation extends RunningOperation {
  constructor(
    private readonly deps: AmqpTelemetryDeps,
    span: Span,
    parent: Context,
    attributes: Attributes,
    started: number,
    private readonly settle: SettleCall,
  ) {
    super(deps, SETTLE, span, parent, attributes, started);
  }

  protected override beforeEnd(): void {
    const hook = this.deps.config().settleHook;
    if (hook) runUserHook(this.deps.diag, 'settleHook', hook, this.span, { ...this.settle });
  }
}

/** Runs `invoke` (the original settle method) inside a settle span; its result or error is passed on. */
export function traceSettle<T>(deps: AmqpTelemetryDeps, channel: AmqpChannel, settle: SettleCall, invoke: () => T): T {
  let operation: SettleOperation;
  try {
    operation = startSettle(deps, channel, settle);
  } catch (error) {
    deps.diag.error('otel-mq: amqplib settle instrumentation failed; settling uninstrumented', error);
    return invoke();
  }
  let result: T;
  try {
    result = invoke();
  } catch (error) {
    operation.finish(failedWith(error));
    throw error;
  }
  operation.finish(SUCCEEDED);
  return result;
}

function startSettle(deps: AmqpTelemetryDeps, channel: AmqpChannel, settle: SettleCall): SettleOperation {
  const started = performance.now();
  const operation = MessagingOperations.rabbitmq[settle.operation];
  const message = isMessage(settle.message) ? settle.message : undefined;
  const memory = recall(message);
  const destination = message ? deliveryDestination(message, memory?.queue) : undefined;
  const parent = context.active();
  const links: Link[] = [];
  if (message) {
    const producer = memory ? memory.producer : producerSpanContext(message);
    if (producer) links.push({ context: producer });
    const processSpan = memory?.processSpan;
    if (processSpan && trace.getSpanContext(parent)?.spanId !== processSpan.spanId)
      links.push({ context: processSpan });
  }
  const attributes: Attributes = {
    ...messagingAttributes({
      operation,
      destination: destination?.name,
      anonymousDestination: destination?.anonymous,
      ...(message ? messageIdentity(message) : {}),
      server: channelServer(channel),
    }),
    ...rabbitMqAttributes({ routingKey: message?.fields.routingKey, deliveryTag: message?.fields.deliveryTag }),
    ...settleAttributes({ multiple: settle.multiple, requeue: settle.requeue }),
  };
  const span = startMessagingSpan(deps.tracer(), operation, destination?.name, parent, attributes, links);
  return new SettleOperation(deps, span, parent, attributes, started, settle);
}
