// Native-API surface: Producer#produce with and without delivery reports,
// KafkaConsumer messages in flowing and non-flowing mode, processKafkaMessage,
// commit/commitMessage, and the native calls the KafkaJS API makes left alone.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { endOpenSpans } from '@org/messaging-propagation/internal';
import { processKafkaMessage } from './index';
import { markKafkaJsInternalConsumer } from './patches/native-consumer';
import { exporter, nativeMessage, patchedConfluent, PRODUCER_TRACEPARENT } from './test-support/fake-confluent';

beforeEach(() => exporter.reset());

const { confluent } = patchedConfluent({ commitSpans: true });
const config = { 'metadata.broker.list': 'broker-1:9092', 'client.id': 'native' };

describe('native produce', () => {
  it('with delivery reports: ends the span at the report, with its offset; the caller keeps its opaque and headers', () => {
    const producer = new confluent.Producer({ ...config, dr_cb: true });
    const opaque = { mine: true };
    const headers = Object.freeze([Object.freeze({ 'x-id': 'a' }), Object.freeze({ traceparent: 'stale' })]);
    producer.produce('orders', null, Buffer.from('v'), 'k', Date.now(), opaque, headers);
    expect(exporter.getFinishedSpans()).toEqual([]);
    const handed = producer.produced[0] as unknown[];
    expect(handed[5]).not.toBe(opaque);
    const reports: unknown[] = [];
    producer.on('delivery-report', (_error, report: { opaque: unknown }) => reports.push(report.opaque));
    producer.report(0);
    expect(reports).toEqual([opaque]);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('send orders');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toMatchObject({
      'messaging.client.id': 'native',
      'server.address': 'broker-1',
      'kafka.message.key': 'k',
      'kafka.offset': 17,
    });
    const sentHeaders = handed[6] as Array<Record<string, string>>;
    expect(sentHeaders).toEqual([
      { 'x-id': 'a' },
      { traceparent: `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01` },
    ]);
    expect(headers).toEqual([{ 'x-id': 'a' }, { traceparent: 'stale' }]);
  });

  it('records the error of a failed delivery report', () => {
    const producer = new confluent.Producer({ ...config, dr_cb: true });
    producer.produce('orders', 1, Buffer.from('v'), null, 0, undefined, undefined);
    producer.report(0, Object.assign(new Error('Broker: Message size too large'), { code: 10 }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBeDefined();
  });

  it('a delivery report that never comes: the span is ended at exit, once; without reports nothing stays open', () => {
    const reporting = new confluent.Producer({ ...config, dr_cb: true });
    reporting.produce('orders', null, Buffer.from('v'), null, 0, undefined, undefined);
    new confluent.Producer(config).produce('orders', null, Buffer.from('w'), null, 0, undefined, undefined);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(endOpenSpans()).toBe(1);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    expect(spans[1]?.attributes['error.type']).toBe('OperationUnansweredAtExitError');
    reporting.report(0);
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('without delivery reports: ends the span at produce, and passes a thrown error through', () => {
    const producer = new confluent.Producer(config);
    producer.produce('orders', null, Buffer.from('v'), null, 0, 'opaque', undefined);
    expect((producer.produced[0] as unknown[])[5]).toBe('opaque');
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['send orders']);
    const error = new Error('Producer not connected');
    producer.throwWith = error;
    expect(() => producer.produce('orders', null, Buffer.from('v'), null, 0, undefined, undefined)).toThrow(error);
    expect(exporter.getFinishedSpans()[1]?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('native consumer', () => {
  it("flowing: a process span per message, parented on the producer, the 'data' listener and callback inside it", () => {
    const consumer = new confluent.KafkaConsumer({ ...config, 'group.id': 'billing' });
    const seen: string[] = [];
    consumer.on('data', () => seen.push('data'));
    consumer.consume(() => seen.push('callback'));
    consumer.deliver([nativeMessage(3, [{ traceparent: Buffer.from(PRODUCER_TRACEPARENT) }])], true);
    expect(seen).toEqual(['data', 'callback']);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process orders');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.attributes).toMatchObject({
      'messaging.consumer.group.name': 'billing',
      'kafka.offset': 3,
      'messaging.destination.partition.id': '0',
    });
  });

  it('non-flowing: one span per message of the call, ended after the callback; processKafkaMessage keeps one open', async () => {
    const consumer = new confluent.KafkaConsumer({ ...config, 'group.id': 'g' });
    let release: () => void = () => undefined;
    let work: Promise<unknown> = Promise.resolve();
    consumer.consume(10, (_error: unknown, messages: ReturnType<typeof nativeMessage>[]) => {
      const [first] = messages;
      work = processKafkaMessage(first, () => new Promise<void>((resolve) => (release = resolve)));
    });
    consumer.deliver([nativeMessage(1), nativeMessage(2)], false);
    expect(exporter.getFinishedSpans().map((span) => span.attributes['kafka.offset'])).toEqual([2]);
    release();
    await work;
    expect(exporter.getFinishedSpans().map((span) => span.attributes['kafka.offset'])).toEqual([2, 1]);
  });

  it('a throwing listener marks the span and reaches the client', () => {
    const consumer = new confluent.KafkaConsumer(config);
    const error = new Error('listener');
    consumer.on('data', () => {
      throw error;
    });
    consumer.consume();
    expect(() => consumer.deliver([nativeMessage(4)], true)).toThrow(error);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('commitMessage and commit(offsets) are commit spans; commit() is not', () => {
    const consumer = new confluent.KafkaConsumer({ ...config, 'group.id': 'g' });
    expect(consumer.commitMessage(nativeMessage(5))).toBe(consumer);
    consumer.commit([{ topic: 'refunds', partition: 0, offset: 9 }]);
    consumer.commit();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['commit orders', 'commit refunds']);
    expect(consumer.committed).toHaveLength(3);
  });

  it("leaves the native consumer under a KafkaJS-API consumer to eachMessage's spans", () => {
    const consumer = new confluent.KafkaConsumer(config);
    markKafkaJsInternalConsumer({ _getInternalClient: () => consumer });
    consumer.consume(10, () => undefined);
    consumer.deliver([nativeMessage(6)], false);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('processKafkaMessage runs work as it is for a message no consumer delivered', async () => {
    await expect(processKafkaMessage({ topic: 'x' }, () => 42)).resolves.toBe(42);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
