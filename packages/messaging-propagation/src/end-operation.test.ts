import { SpanStatusCode } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { endOperation, failedWith, SUCCEEDED } from './end-operation';
import type { MessagingMetrics } from './metrics';

const exporter = new InMemorySpanExporter();
const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
const attributes = { 'messaging.system': 'kafka', 'messaging.operation.name': 'send', 'messaging.message.id': 'm-1' };

function telemetry() {
  const metrics = {
    clientOperationDuration: { record: jest.fn() },
    processDuration: { record: jest.fn() },
    sentMessages: { add: jest.fn() },
    consumedMessages: { add: jest.fn() },
  };
  const diag = { error: jest.fn() } as unknown as DiagLogger & { error: jest.Mock };
  return { metrics, deps: { metrics: () => metrics as unknown as MessagingMetrics, diag } };
}

beforeEach(() => exporter.reset());

describe('endOperation', () => {
  it('ends a successful operation and records its metrics without error.type', () => {
    const { metrics, deps } = telemetry();
    const span = tracer.startSpan('send orders', { attributes });
    endOperation(deps, 'test', { span, attributes, started: performance.now() }, SUCCEEDED, {
      duration: 'client',
      sent: 3,
    });
    const [ended] = exporter.getFinishedSpans();
    expect(ended?.status.code).toBe(SpanStatusCode.UNSET);
    const metricAttributes = { 'messaging.system': 'kafka', 'messaging.operation.name': 'send' };
    expect(metrics.clientOperationDuration.record).toHaveBeenCalledWith(expect.any(Number), metricAttributes);
    expect(metrics.sentMessages.add).toHaveBeenCalledWith(3, metricAttributes);
    expect(metrics.processDuration.record).not.toHaveBeenCalled();
    expect(metrics.consumedMessages.add).not.toHaveBeenCalled();
  });

  it.each([undefined, null, 0, ''])('counts a failure with %p as a failure', (error) => {
    const { metrics, deps } = telemetry();
    const span = tracer.startSpan('process orders', { attributes });
    endOperation(deps, 'test', { span, attributes, started: performance.now() }, failedWith(error), {
      duration: 'process',
      consumed: 1,
    });
    const [ended] = exporter.getFinishedSpans();
    expect(ended?.status.code).toBe(SpanStatusCode.ERROR);
    expect(ended?.attributes['error.type']).toBe('_OTHER');
    expect(metrics.processDuration.record).toHaveBeenCalledWith(
      expect.any(Number),
      expect.objectContaining({ 'error.type': '_OTHER' }),
    );
    expect(metrics.consumedMessages.add).toHaveBeenCalledWith(1, expect.objectContaining({ 'error.type': '_OTHER' }));
  });

  it("gives the metrics a partial failure's error.type and leaves the span's status to the caller", () => {
    const { metrics, deps } = telemetry();
    const span = tracer.startSpan('delete orders', { attributes });
    endOperation(
      deps,
      'test',
      { span, attributes, started: performance.now() },
      { failed: false, partialFailure: { name: 'ReceiptHandleIsInvalid' } },
      { duration: 'client' },
    );
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(metrics.clientOperationDuration.record).toHaveBeenCalledWith(
      expect.any(Number),
      expect.objectContaining({ 'error.type': 'ReceiptHandleIsInvalid' }),
    );
  });

  it('never throws: a failing instrument is logged', () => {
    const { metrics, deps } = telemetry();
    metrics.clientOperationDuration.record.mockImplementation(() => {
      throw new Error('instrument broken');
    });
    const span = tracer.startSpan('send orders', { attributes });
    expect(() =>
      endOperation(deps, 'kafkajs send', { span, attributes, started: 0 }, SUCCEEDED, { duration: 'client' }),
    ).not.toThrow();
    expect(deps.diag.error).toHaveBeenCalledWith('otel-mq: kafkajs send telemetry failed', expect.any(Error));
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('builds no metric attributes and records nothing when the metrics are no-op, but still ends the span', () => {
    const { metrics, deps } = telemetry();
    const noop = { ...metrics, noop: true };
    const span = tracer.startSpan('send orders', { attributes });
    endOperation(
      { ...deps, metrics: () => noop },
      'test',
      { span, attributes, started: 0 },
      failedWith(new Error('x')),
      {
        duration: 'client',
        sent: 1,
      },
    );
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(metrics.clientOperationDuration.record).not.toHaveBeenCalled();
    expect(metrics.sentMessages.add).not.toHaveBeenCalled();
  });

  it('ends at a given performance.now() reading', () => {
    const { deps } = telemetry();
    const started = performance.now();
    const span = tracer.startSpan('process orders', { attributes, startTime: started });
    while (performance.now() - started < 2);
    const endTime = performance.now();
    endOperation(deps, 'test', { span, attributes, started }, { failed: false, endTime }, {});
    const [seconds, nanos] = exporter.getFinishedSpans()[0]!.duration;
    expect(seconds * 1e3 + nanos / 1e6).toBeCloseTo(endTime - started, 2);
  });
});
