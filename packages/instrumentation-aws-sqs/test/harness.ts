// Unit-test harness: a fake SQS client shaped like @aws-sdk/client-sqs 3.x
// (`SQSClient.prototype.send(command, options?, callback?)`, commands named
// `<Operation>Command` holding `input`), patched by hand since jest's module
// registry bypasses require-in-the-middle. The real SDK runs in the e2e suite.
import { context, propagation, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AwsSqsInstrumentation } from '../src/instrumentation';
import type { AwsSqsInstrumentationConfig } from '../src/types';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';
export const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

export type Responder = (operation: string, input: Record<string, unknown>) => unknown;

export interface SentCall {
  operation: string;
  command: { input: Record<string, unknown> };
  input: Record<string, unknown>;
  activeSpan: Span | undefined;
}

export class FakeSqsClient {
  config = { region: () => Promise.resolve('eu-west-1') };
  calls: SentCall[] = [];
  respond: Responder = () => ({ $metadata: { requestId: 'req-1' } });
  /** Thrown by `send` itself, before it returns, as the SDK does for some bad arguments. */
  throwOnSend: unknown = undefined;

  /** Like the SDK: a promise, or `undefined` when given a callback (typed as the promise form for tests). */
  send(command: { input: Record<string, unknown> }, ...rest: unknown[]): Promise<unknown> {
    const operation = String(command.constructor.name).replace(/Command$/, '');
    this.calls.push({ operation, command, input: command.input, activeSpan: trace.getActiveSpan() });
    if (this.throwOnSend !== undefined) throw this.throwOnSend;
    const answer = Promise.resolve().then(() => this.respond(operation, command.input));
    const callback = rest.find((arg): arg is (error: unknown, data?: unknown) => void => typeof arg === 'function');
    if (!callback) return answer;
    answer.then(
      (output) => callback(null, output),
      (error: unknown) => callback(error),
    );
    return undefined as unknown as Promise<unknown>;
  }
}

/** A command class named like the SDK's (`SendMessageCommand`). */
export function commandClass(operation: string): new (input: Record<string, unknown>) => {
  input: Record<string, unknown>;
} {
  const name = `${operation}Command`;
  const classes = {
    [name]: class {
      constructor(readonly input: Record<string, unknown>) {}
    },
  };
  return classes[name]!;
}

export const SendMessageCommand = commandClass('SendMessage');
export const SendMessageBatchCommand = commandClass('SendMessageBatch');
export const ReceiveMessageCommand = commandClass('ReceiveMessage');
export const DeleteMessageCommand = commandClass('DeleteMessage');
export const DeleteMessageBatchCommand = commandClass('DeleteMessageBatch');
export const ChangeMessageVisibilityCommand = commandClass('ChangeMessageVisibility');
export const CreateQueueCommand = commandClass('CreateQueue');
export const PublishCommand = commandClass('Publish');
export const PublishBatchCommand = commandClass('PublishBatch');
export const CreateTopicCommand = commandClass('CreateTopic');

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:order-events';

export const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';

export const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

/** Sets up context, propagation and one enabled, hand-patched instrumentation for the test file. */
export function useInstrumentation(config: AwsSqsInstrumentationConfig = {}): {
  instrumentation: () => AwsSqsInstrumentation;
  Client: typeof FakeSqsClient;
  /** The same fake, patched as `@aws-sdk/client-sns`'s `SNSClient`. */
  SnsClient: typeof FakeSqsClient;
} {
  let instrumentation: AwsSqsInstrumentation;
  class Client extends FakeSqsClient {}
  class SnsClient extends FakeSqsClient {}
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    instrumentation = new AwsSqsInstrumentation({ ...config, enabled: false });
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
    const [sqs, sns] = instrumentation.getModuleDefinitions();
    sqs?.patch?.({ SQSClient: Client }, '3.1169.0');
    sns?.patch?.({ SNSClient: SnsClient }, '3.1169.0');
  });
  afterAll(() => {
    instrumentation.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());
  return { instrumentation: () => instrumentation, Client, SnsClient };
}

export function finishedSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

export function spanNamed(name: string): ReadableSpan {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span)
    throw new Error(
      `no span "${name}"; got ${exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return span;
}

/** Runs `fn` inside an active span named `name`, ending it afterwards. */
export function withAppSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return provider.getTracer('app').startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}
