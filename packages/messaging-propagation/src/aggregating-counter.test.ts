import { diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { AggregatingCounter } from './aggregating-counter';

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function collectSum(reader: MetricReader): Promise<SumMetricData> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const [metric] = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  expect(metric?.dataPointType).toBe(DataPointType.SUM);
  return metric as SumMetricData;
}

function points(metric: SumMetricData): Array<[Record<string, unknown>, number]> {
  const key = (attributes: Record<string, unknown>) => JSON.stringify(Object.entries(attributes).sort());
  return metric.dataPoints
    .map((point): [Record<string, unknown>, number] => [point.attributes, point.value])
    .sort((a, b) => key(a[0]).localeCompare(key(b[0])));
}

describe('AggregatingCounter', () => {
  it('reports a monotonic cumulative sum per attribute set, merging key orders', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'messaging.client.sent.messages', {
      unit: '{message}',
      description: 'sent',
    });
    counter.add(1, { 'messaging.system': 'kafka', 'messaging.destination.name': 'a' });
    counter.add(2, { 'messaging.destination.name': 'a', 'messaging.system': 'kafka' });
    counter.add(5, { 'messaging.system': 'kafka', 'messaging.destination.name': 'b' });
    counter.add(1, { 'server.port': 1 });
    counter.add(1, { 'server.port': '1' });
    counter.add(4);

    const first = await collectSum(reader);
    expect(first.descriptor).toMatchObject({ name: 'messaging.client.sent.messages', unit: '{message}' });
    expect(first.isMonotonic).toBe(true);
    expect(first.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    const firstPoints = points(first);
    expect(firstPoints).toHaveLength(5);
    expect(firstPoints).toEqual(
      expect.arrayContaining([
        [{}, 4],
        [{ 'messaging.destination.name': 'a', 'messaging.system': 'kafka' }, 3],
        [{ 'messaging.system': 'kafka', 'messaging.destination.name': 'b' }, 5],
        [{ 'server.port': '1' }, 1],
        [{ 'server.port': 1 }, 1],
      ]),
    );

    counter.add(10, { 'messaging.system': 'kafka', 'messaging.destination.name': 'b' });
    const second = await collectSum(reader);
    expect(points(second).find(([attributes]) => attributes['messaging.destination.name'] === 'b')?.[1]).toBe(15);
    await provider.shutdown();
  });

  it('keeps alternating, nested and undefined-valued attribute sets apart', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'c', {});
    for (let i = 0; i < 3; i++) {
      counter.add(1, { q: 'a' });
      counter.add(10, { q: 'b' });
      counter.add(100, { q: 'a', extra: 'x' });
      counter.add(1000, { q: 'a', gone: undefined });
    }
    const collected = points(await collectSum(reader));
    // As with the SDK's own Counter, a key whose value is undefined makes its own series.
    expect(collected).toHaveLength(4);
    expect(collected).toEqual(
      expect.arrayContaining([
        [{ q: 'a' }, 3],
        [{ q: 'b' }, 30],
        [{ q: 'a', extra: 'x' }, 300],
        [{ q: 'a', gone: undefined }, 3000],
      ]),
    );
    await provider.shutdown();
  });

  it('reports deltas to a reader that asks for delta temporality', async () => {
    const reader = new (class extends CollectingReader {
      constructor() {
        super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
      }
    })();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'c', {});
    counter.add(3, { q: 'a' });
    expect(points(await collectSum(reader))).toEqual([[{ q: 'a' }, 3]]);
    counter.add(2, { q: 'a' });
    const delta = await collectSum(reader);
    expect(delta.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    expect(points(delta)).toEqual([[{ q: 'a' }, 2]]);
    await provider.shutdown();
  });

  it('never keeps a reference to the caller’s attributes', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'c', {});
    const attributes: Record<string, string> = { q: 'a' };
    counter.add(1, attributes);
    attributes.q = 'changed';
    expect(points(await collectSum(reader))).toEqual([[{ q: 'a' }, 1]]);
    await provider.shutdown();
  });

  it('ignores negative, NaN and infinite values with a warning', async () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'c', {});
    counter.add(1, { q: 'a' });
    counter.add(-1, { q: 'a' });
    counter.add(Number.NaN, { q: 'a' });
    counter.add(Number.POSITIVE_INFINITY, { q: 'a' });
    expect(points(await collectSum(reader))).toEqual([[{ q: 'a' }, 1]]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
    await provider.shutdown();
  });

  it('counts attribute sets past the cardinality limit in one overflow series', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'c', {}, 2);
    for (const q of ['a', 'b', 'c', 'd', 'c']) counter.add(1, { q });
    expect(points(await collectSum(reader))).toEqual([
      [{ 'otel.metric.overflow': true }, 3],
      [{ q: 'a' }, 1],
      [{ q: 'b' }, 1],
    ]);
    await provider.shutdown();
  });

  it('is an observable counter, so SDK views select it by that instrument type', async () => {
    const select = async (instrumentType: InstrumentType) => {
      const reader = new CollectingReader();
      const provider = new MeterProvider({
        readers: [reader],
        views: [{ instrumentType, aggregation: { type: AggregationType.DROP } }],
      });
      new AggregatingCounter(provider.getMeter('test'), 'c', { unit: '{message}' }).add(1);
      const { resourceMetrics } = await reader.collect();
      await provider.shutdown();
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).length;
    };
    expect(await select(InstrumentType.OBSERVABLE_COUNTER)).toBe(0);
    expect(await select(InstrumentType.COUNTER)).toBe(1);
  });
});
