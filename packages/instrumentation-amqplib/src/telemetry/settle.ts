// CLIENT settle spans for ack, nack, reject, ackAll and nackAll. amqplib sends
// these without waiting for an answer, so each span covers the call alone. A span
// made inside the message's process span is its child; otherwise it links to it.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Link } from '@opentelemetry/api';
import { MessagingOperations, messagingSpanName } from '@org/messaging-propagation';
import {
  endOperation,
  failedWith,
  messagingAttributes,
  rabbitMqAttributes,
  runUserHook,
  settleAttributes,
  SUCCEEDED,
} from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
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

/** Runs `invoke` (the original settle method) inside a settle span; its result or error is passed on. */
export function traceSettle<T>(deps: AmqpTelemetryDeps, channel: AmqpChannel, settle: SettleCall, invoke: () => T): T {
  let finish: (outcome: OperationOutcome) => void;
  try {
    finish = startSettle(deps, channel, settle);
  } catch (error) {
    deps.diag.error('otel-mq: amqplib settle instrumentation failed; settling uninstrumented', error);
    return invoke();
  }
  let result: T;
  try {
    result = invoke();
  } catch (error) {
    finish(failedWith(error));
    throw error;
  }
  finish(SUCCEEDED);
  return result;
}

function startSettle(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel,
  settle: SettleCall,
): (outcome: OperationOutcome) => void {
  const config = deps.config();
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
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(operation, destination?.name),
      { kind: operation.spanKind, attributes, links },
      parent,
    );
  return (outcome: OperationOutcome) => {
    runUserHook(deps.diag, 'settleHook', config.settleHook, span, { ...settle });
    endOperation(deps, 'amqplib settle', { span, attributes, started }, outcome, { duration: 'client' });
  };
}
