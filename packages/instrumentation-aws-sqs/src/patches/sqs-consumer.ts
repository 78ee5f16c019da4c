// sqs-consumer (14.x, 15.x) receives with its own SQS client (instrumented like
// any other) and calls the handlers it was given itself, then deletes the
// message: with no otel-mq call in the application, each `handleMessage(message)`
// runs in a CONSUMER process span and each `handleMessageBatch(messages)` in a
// batch process span, and the deletes it makes afterwards are parented on them.
// Hooked through the public API only: `Consumer.prototype.start()` wraps the
// handlers the consumer keeps from its options (`handleMessage`,
// `handleMessageBatch`, as the options name them; sqs-consumer 14.2.8 and
// 15.0.3, consumer.js, set them in the constructor and never again).
import type { DiagLogger } from '@opentelemetry/api';
import { processSqsBatchSettledLater, processSqsMessageSettledLater } from '../process';
import type { SqsMessage } from '../types';

type Handler = (this: unknown, ...args: unknown[]) => unknown;

interface SqsConsumer {
  queueUrl?: unknown;
  handleMessage?: unknown;
  handleMessageBatch?: unknown;
}

/** Our wrappers, so a consumer started twice (stop, start) is wrapped once. */
const ours = new WeakSet<object>();

function wrapped(handler: Handler, consumer: SqsConsumer, batch: boolean): Handler {
  const instrumented: Handler = batch
    ? function handleMessageBatch(this: unknown, ...args: unknown[]) {
        return processSqsBatchSettledLater(args[0] as SqsMessage[], () => handler.apply(this, args), consumer.queueUrl);
      }
    : function handleMessage(this: unknown, ...args: unknown[]) {
        return processSqsMessageSettledLater(args[0] as SqsMessage, () => handler.apply(this, args), consumer.queueUrl);
      };
  ours.add(instrumented);
  return instrumented;
}

function instrumentHandlers(consumer: SqsConsumer): void {
  for (const [field, batch] of [
    ['handleMessage', false],
    ['handleMessageBatch', true],
  ] as const) {
    const handler = consumer[field];
    if (typeof handler === 'function' && !ours.has(handler))
      consumer[field] = wrapped(handler as Handler, consumer, batch);
  }
}

/** Wrapper for `Consumer.prototype.start()`. */
export function patchConsumerStart(diag: DiagLogger) {
  return (original: Handler) =>
    function start(this: SqsConsumer, ...args: unknown[]): unknown {
      try {
        if (typeof this === 'object' && this !== null) instrumentHandlers(this);
      } catch (error) {
        diag.error('otel-mq: could not instrument an sqs-consumer Consumer; it runs uninstrumented', error);
      }
      return original.apply(this, args);
    };
}
