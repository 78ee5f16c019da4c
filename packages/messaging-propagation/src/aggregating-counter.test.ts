import { diag } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import type { MetricReaderOptions, SumMetricData } from '@opentelemetry/sdk-metrics';
import { AggregatingCounter } from './aggregating-counter';

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Point = [Record<string, unknown>, number];

/** The data points of every metric collected, sorted, with the metric names. */
async function collect(reader: MetricReader): Promise<{ names: string[]; points: Point[] }> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  const key = (attributes: Record<string, unknown>) => JSON.stringify(Object.entries(attributes).sort());
  const points = metrics
    .flatMap((metric) => (metric as SumMetricData).dataPoints)
    .map((point): Point => [point.attributes, point.value])
    .sort((a, b) => key(a[0]).localeCompare(key(b[0])));
  return { names: metrics.map((metric) => metric.descriptor.name), points };
}

function setup(options: MetricReaderOptions = {}, limit?: number) {
  const reader = new CollectingReader(options);
  const provider = new MeterProvider({ readers: [reader] });
  const counter = new AggregatingCounter(provider.getMeter('test'), 'messages', { unit: '{message}' }, limit);
  return { reader, provider, counter };
}

/** The same adds on an AggregatingCounter and on a plain SDK Counter, collected after each round: both must export the same. */
async function expectSameAsSdkCounter(rounds: Array<Array<[number, Attributes]>>, options: MetricReaderOptions) {
  const ours = setup(options);
  const plainReader = new CollectingReader(options);
  const plainProvider = new MeterProvider({ readers: [plainReader] });
  const plain = plainProvider.getMeter('test').createCounter('messages', { unit: '{message}' });
  for (const round of rounds) {
    for (const [value, attributes] of round) {
      ours.counter.add(value, attributes);
      plain.add(value, attributes);
    }
    const expected = await collect(plainReader);
    expect((await collect(ours.reader)).points).toEqual(expected.points);
  }
  await ours.provider.shutdown();
  await plainProvider.shutdown();
}

describe('AggregatingCounter', () => {
  it('exports what the SDK Counter exports: cumulative, key orders merged', async () => {
    await expectSameAsSdkCounter(
      [
        [
          [1, { 'messaging.system.name': 'kafka', 'messaging.destination.name': 'a' }],
          [2, { 'messaging.destination.name': 'a', 'messaging.system.name': 'kafka' }],
          [5, { 'messaging.system.name': 'kafka', 'messaging.destination.name': 'b' }],
          [1, { 'server.port': 1 }],
          [1, { 'server.port': '1' }],
          [4, {}],
        ],
        [[10, { 'messaging.system.name': 'kafka', 'messaging.destination.name': 'b' }]],
        [],
      ],
      {},
    );
  });

  it('exports what the SDK Counter exports with delta temporality: each interval starts afresh', async () => {
    await expectSameAsSdkCounter([[[3, { q: 'old' }]], [[2, { q: 'a' }]], [], [[1, { q: 'a' }]]], {
      aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
    });
  });

  it("exports what the SDK Counter exports past the SDK's cardinality limit, overflow series included", async () => {
    const round = Array.from({ length: 10 }, (_, i): [number, Attributes] => [i + 1, { q: `q${i}` }]);
    for (const aggregationTemporalitySelector of [
      () => AggregationTemporality.CUMULATIVE,
      () => AggregationTemporality.DELTA,
    ]) {
      await expectSameAsSdkCounter([round, round, round], {
        aggregationTemporalitySelector,
        cardinalitySelector: () => 5,
      });
    }
  });

  it('keeps alternating, nested, undefined-valued and separator-laden attribute sets apart', async () => {
    const inherited = Object.create({ q: 'a' }) as Attributes;
    await expectSameAsSdkCounter(
      [
        [
          [1, { q: 'a' }],
          [10, { q: 'b' }],
          [100, { q: 'a', extra: 'x' }],
          [1000, { q: 'a', gone: undefined }],
          [1, { q: 'a' }],
          [3, { a: 'x', b: 'y' }],
          [300, { a: 'x\u0001b\u0000sy' }],
          [30, { a: 'x1:b1:sy' }],
          [7, inherited],
          [70, { list: ['a', 'b'] }],
          [700, { list: ['a,b'] }],
          [7000, { n: Number.NaN }],
          [1, { n: Number.NaN }],
        ],
      ],
      {},
    );
  });

  it('never keeps a reference to the caller’s attributes or their arrays', async () => {
    const { reader, provider, counter } = setup();
    const list = ['a'];
    const attributes: Record<string, unknown> = { q: 'a', list };
    counter.add(1, attributes);
    attributes['q'] = 'changed';
    list.push('changed');
    expect((await collect(reader)).points).toEqual([[{ q: 'a', list: ['a'] }, 1]]);
    await provider.shutdown();
  });

  it('ignores negative, NaN and infinite values with a warning', async () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const { reader, provider, counter } = setup();
    counter.add(1, { q: 'a' });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) counter.add(bad, { q: 'a' });
    expect((await collect(reader)).points).toEqual([[{ q: 'a' }, 1]]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
    await provider.shutdown();
  });

  it('adds straight to the SDK past its pending limit (as when nothing ever collects), counting every message', async () => {
    const { reader, provider, counter } = setup({}, 2);
    for (const q of ['a', 'b', 'c', 'd', 'c', 'a']) counter.add(1, { q });
    expect((await collect(reader)).points).toEqual([
      [{ q: 'a' }, 2],
      [{ q: 'b' }, 1],
      [{ q: 'c' }, 2],
      [{ q: 'd' }, 1],
    ]);
    await provider.shutdown();
  });

  it('is an SDK Counter to Views, and its flush trigger is never exported', async () => {
    const select = async (instrumentType: InstrumentType) => {
      const reader = new CollectingReader();
      const provider = new MeterProvider({
        readers: [reader],
        views: [{ instrumentType, aggregation: { type: AggregationType.DROP } }],
      });
      new AggregatingCounter(provider.getMeter('test'), 'messages', {}).add(1);
      const collected = await collect(reader);
      await provider.shutdown();
      return collected;
    };
    expect((await select(InstrumentType.COUNTER)).names).toEqual([]);
    const kept = await select(InstrumentType.OBSERVABLE_COUNTER);
    expect(kept.names).toEqual(['messages']);
    expect(kept.points).toEqual([[{}, 1]]);
  });

  it('flushes to every reader', async () => {
    const first = new CollectingReader();
    const second = new CollectingReader();
    const provider = new MeterProvider({ readers: [first, second] });
    const counter = new AggregatingCounter(provider.getMeter('test'), 'messages', {});
    counter.add(2, { q: 'a' });
    expect((await collect(first)).points).toEqual([[{ q: 'a' }, 2]]);
    counter.add(3, { q: 'a' });
    expect((await collect(second)).points).toEqual([[{ q: 'a' }, 5]]);
    expect((await collect(first)).points).toEqual([[{ q: 'a' }, 5]]);
    await provider.shutdown();
  });

  it('exports a sum point', async () => {
    const { reader, provider, counter } = setup();
    counter.add(1);
    const { resourceMetrics } = await reader.collect();
    const [metric] = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    expect(metric?.dataPointType).toBe(DataPointType.SUM);
    expect((metric as SumMetricData).isMonotonic).toBe(true);
    expect(metric?.descriptor.unit).toBe('{message}');
    await provider.shutdown();
  });
});
