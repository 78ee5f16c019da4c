// captureBodySize: `messaging.message.body.size` on single-message send spans
// (KafkaJS API send, native produce), create spans and process spans (eachMessage,
// native 'data'); never by default, never on a send of several messages.
import { consumedMessage, exporter, nativeMessage, patchedConfluent } from './test-support/fake-confluent';

const BODY_SIZE = 'messaging.message.body.size';
const nativeConfig = { 'metadata.broker.list': 'broker-1:9092', 'client.id': 'native' };

beforeEach(() => exporter.reset());

describe('captureBodySize', () => {
  const on = patchedConfluent({ captureBodySize: true, createSpansPerMessage: true });
  const off = patchedConfluent({});

  it('KafkaJS API: single send and create spans get the UTF-8 byte length; a send of several does not', async () => {
    const producer = on.kafka().producer();
    await producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'héllo' }] });
    await producer.send({
      topic: 'orders',
      messages: [{ value: Buffer.alloc(7) }, { value: 'abc' }, { value: null }],
    });
    const spans = exporter.getFinishedSpans();
    const sends = spans.filter((span) => span.name === 'send orders');
    const creates = spans.filter((span) => span.name === 'create orders');
    expect(sends.map((span) => span.attributes[BODY_SIZE])).toEqual([6, undefined]);
    expect(creates.map((span) => span.attributes[BODY_SIZE])).toEqual([6, 7, 3, undefined]);
  });

  it('native produce: the send span records the value size, ended with or without delivery reports', () => {
    const reporting = new on.confluent.Producer({ ...nativeConfig, dr_cb: true });
    reporting.produce('orders', null, Buffer.from('twelve bytes'), 'k', Date.now(), undefined, undefined);
    reporting.report(0);
    const plain = new on.confluent.Producer(nativeConfig);
    plain.produce('orders', null, 'four', null, 0, undefined, undefined);
    expect(exporter.getFinishedSpans().map((span) => span.attributes[BODY_SIZE])).toEqual([12, 4]);
  });

  it('process spans: eachMessage and native data events', async () => {
    const consumer = on.kafka().consumer({ kafkaJS: { groupId: 'billing' } });
    await consumer.run({ eachMessage: async () => undefined });
    await consumer.runConfig?.eachMessage?.({
      topic: 'orders',
      partition: 0,
      message: { ...consumedMessage('1'), value: Buffer.from('12345') },
    });
    const native = new on.confluent.KafkaConsumer({ ...nativeConfig, 'group.id': 'billing' });
    native.on('data', () => undefined);
    native.consume();
    native.deliver([nativeMessage(2)], true);
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.attributes[BODY_SIZE]])).toEqual([
      ['process orders', 5],
      ['process orders', 1],
    ]);
  });

  it('is off by default', async () => {
    await off
      .kafka()
      .producer()
      .send({ topic: 'orders', messages: [{ value: 'v' }] });
    const producer = new off.confluent.Producer(nativeConfig);
    producer.produce('orders', null, Buffer.from('v'), null, 0, undefined, undefined);
    const consumer = off.kafka().consumer({ kafkaJS: { groupId: 'billing' } });
    await consumer.run({ eachMessage: async () => undefined });
    await consumer.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message: consumedMessage('1') });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) expect(span.attributes).not.toHaveProperty(BODY_SIZE);
  });
});
