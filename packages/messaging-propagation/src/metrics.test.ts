import { createNoopMeter, metrics } from '@opentelemetry/api';
import type { Meter } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { getMessagingMetrics, MESSAGING_DURATION_BUCKETS, metricAttributes, secondsSince } from './metrics';

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('messaging metrics', () => {
  it('creates the four semconv instruments once per meter, with the advised buckets', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter('test');
    const metrics = getMessagingMetrics(meter);
    expect(getMessagingMetrics(meter)).toBe(metrics);

    const attributes = { 'messaging.system.name': 'kafka', 'messaging.operation.name': 'send' };
    metrics.clientOperationDuration.record(0.003, attributes);
    metrics.processDuration.record(0.2, attributes);
    metrics.sentMessages.add(3, attributes);
    metrics.consumedMessages.add(2, attributes);

    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const collected = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    expect(collected.map((metric) => [metric.descriptor.name, metric.descriptor.unit]).sort()).toEqual([
      ['messaging.client.consumed.messages', '{message}'],
      ['messaging.client.operation.duration', 's'],
      ['messaging.client.sent.messages', '{message}'],
      ['messaging.process.duration', 's'],
    ]);
    const duration = collected.find(
      (metric) => metric.descriptor.name === 'messaging.process.duration',
    ) as HistogramMetricData;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.dataPoints[0]?.value.buckets.boundaries).toEqual([...MESSAGING_DURATION_BUCKETS]);
    await provider.shutdown();
  });

  it("marks the instruments of the API's no-op meter (no MeterProvider) as no-op, and no others", () => {
    expect(getMessagingMetrics(createNoopMeter()).noop).toBe(true);
    expect(getMessagingMetrics(metrics.getMeter('no provider registered')).noop).toBe(true);
    expect(getMessagingMetrics(new MeterProvider().getMeter('sdk')).noop).toBeUndefined();
    // The no-op meter of the API's other build (ES module against CommonJS): its own class of the same name.
    const OtherBuildNoopMeter = { NoopMeter: class extends (createNoopMeter().constructor as new () => object) {} }
      .NoopMeter;
    expect(getMessagingMetrics(new OtherBuildNoopMeter() as Meter).noop).toBe(true);
  });

  it('keeps only low-cardinality attributes on metrics', () => {
    expect(
      metricAttributes({
        'messaging.system.name': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.message.id': 'id-1',
        'kafka.message.key': 'user-1',
        'kafka.offset': 4,
        'error.type': 'TypeError',
        'server.port': 9092,
      }),
    ).toEqual({
      'messaging.system.name': 'kafka',
      'messaging.destination.name': 'orders',
      'error.type': 'TypeError',
      'server.port': 9092,
    });
  });

  it("adds a failed operation's error.type, and measures durations in seconds", () => {
    const error = Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE' });
    expect(metricAttributes({ 'messaging.system.name': 'kafka', 'kafka.offset': 1 }, error)).toEqual({
      'messaging.system.name': 'kafka',
      'error.type': 'LEADER_NOT_AVAILABLE',
    });
    const seconds = secondsSince(performance.now() - 1500);
    expect(seconds).toBeGreaterThanOrEqual(1.5);
    expect(seconds).toBeLessThan(60);
  });
});
