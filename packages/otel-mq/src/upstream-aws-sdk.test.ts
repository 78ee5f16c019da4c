import { context, diag, DiagLogLevel, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, ContextManager, Span, SpanContext, Tracer, TracerProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { loadAutoInstrumentations } from './auto-instrumentations';
import { stepAsideForAwsMessaging } from './upstream-aws-sdk';

const AWS_SDK = '@opentelemetry/instrumentation-aws-sdk';
const OURS: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};

/** A tracer that records the names of the spans it starts. */
function recordingProvider(started: string[]): TracerProvider {
  const tracer = {
    startSpan(name: string): Span {
      started.push(name);
      return trace.wrapSpanContext({ ...OURS, spanId: 'aaaaaaaaaaaaaaaa' });
    },
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

type StartAwsV3Span = (
  request: { serviceName: string; commandName: string; commandInput: object },
  metadata: object,
) => Span;

const instrumentations: Instrumentation[] = [];
function upstreamAwsSdk(): Instrumentation & {
  _startAwsV3Span: StartAwsV3Span;
  servicesExtensions: { services: Map<string, unknown> };
} {
  const loaded = loadAutoInstrumentations(['aws-sqs']);
  instrumentations.push(...loaded);
  const found = loaded.find((instrumentation) => instrumentation.instrumentationName === AWS_SDK);
  expect(found).toBeDefined();
  return found as never;
}

/** Enough of a context manager for synchronous `context.with`. */
class StackContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    next: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = next;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}

beforeAll(() => context.setGlobalContextManager(new StackContextManager()));
afterAll(() => context.disable());
afterEach(() => {
  for (const instrumentation of instrumentations.splice(0)) instrumentation.disable();
  diag.disable();
});

describe('with the aws-sqs plugin enabled, the upstream aws-sdk instrumentation', () => {
  it('stays on, for every service but SQS and SNS publishing (its SQS and SNS extensions removed)', () => {
    const upstream = upstreamAwsSdk();
    expect(upstream.servicesExtensions.services.has('SQS')).toBe(false);
    expect(upstream.servicesExtensions.services.has('SNS')).toBe(false);
    expect(upstream.servicesExtensions.services.has('S3')).toBe(true);
  });

  it('records S3 and SNS calls but publishes, and gives SQS calls and SNS publishes a non-recording span carrying the active (plugin) span', () => {
    const upstream = upstreamAwsSdk();
    const started: string[] = [];
    upstream.setTracerProvider(recordingProvider(started));
    const request = (serviceName: string, commandName: string) => ({ serviceName, commandName, commandInput: {} });
    const sqsSpan = context.with(trace.setSpanContext(ROOT_CONTEXT, OURS), () =>
      upstream._startAwsV3Span(request('SQS', 'SendMessage'), {}),
    );
    upstream._startAwsV3Span(request('S3', 'PutObject'), {});
    const publishSpans = context.with(trace.setSpanContext(ROOT_CONTEXT, OURS), () =>
      ['Publish', 'PublishBatch'].map((command) => upstream._startAwsV3Span(request('SNS', command), {})),
    );
    upstream._startAwsV3Span(request('SNS', 'CreateTopic'), {});
    expect(started).toEqual(['S3.PutObject', 'SNS.CreateTopic']);
    for (const span of [sqsSpan, ...publishSpans]) {
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext()).toEqual(OURS);
    }
  });

  it('is turned off entirely, with a warning, when its shape is not the one otel-mq knows', () => {
    const warn = jest.fn();
    diag.setLogger(
      { error: jest.fn(), warn, info: jest.fn(), debug: jest.fn(), verbose: jest.fn() },
      DiagLogLevel.WARN,
    );
    const disable = jest.fn();
    const odd = { instrumentationName: AWS_SDK, disable } as unknown as Instrumentation;
    const loaded = loadAutoInstrumentations(['aws-sqs'], () => ({ getNodeAutoInstrumentations: () => [odd] }));
    expect(loaded).toEqual([]);
    expect(disable).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(AWS_SDK));
    expect(stepAsideForAwsMessaging(odd)).toBe(false);
  });
});
