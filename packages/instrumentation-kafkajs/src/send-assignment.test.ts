// Producer surface, after the broker's answer: the partition and offset kafkajs'
// RecordMetadata[] gives each message, on the spans semconv puts them on; and
// the opt-in body size.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { setMessagingSemconvMode } from '@org/messaging-propagation';
import { exporter, patchedKafkaJs } from './test-support/fake-kafkajs';

beforeEach(() => exporter.reset());

const PARTITION = 'messaging.destination.partition.id';
const OFFSET = 'kafka.offset';
const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const nanos = (time: ReadableSpan['startTime']) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

describe('the broker-assigned partition and offset', () => {
  const { kafka } = patchedKafkaJs({ createSpansPerMessage: true });

  it('a send to one partition: the partition on the send span, each offset on its create span', async () => {
    const client = kafka();
    client.answer = () => [{ topicName: 'orders', partition: 3, baseOffset: '100', errorCode: 0 }];
    await client.producer().send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });

    const [send] = named('send orders');
    expect(send?.attributes[PARTITION]).toBe('3');
    expect(send?.attributes[OFFSET]).toBeUndefined();
    expect(send?.attributes['messaging.batch.message_count']).toBe(3);
    const creates = named('create orders');
    expect(creates.map((span) => [span.attributes[PARTITION], span.attributes[OFFSET]])).toEqual([
      ['3', 100],
      ['3', 101],
      ['3', 102],
    ]);
    // Timed at their creation, before the send started, though ended after the answer (the SDK
    // maps each span's clock readings onto the wall clock with its own offset, good to 1 ms).
    for (const create of creates) expect(nanos(create.endTime) <= nanos(send!.startTime) + 1_000_000n).toBe(true);
  });

  it('a batch over several partitions: per message on the create spans, none on the send spans', async () => {
    const client = kafka();
    client.answer = () => [
      { topicName: 'a', partition: 0, baseOffset: '10' },
      { topicName: 'a', partition: 1, baseOffset: '20' },
      { topicName: 'b', partition: 0, baseOffset: '5' },
      { topicName: 'b', partition: 1, baseOffset: '7' },
    ];
    await client.producer().sendBatch({
      topicMessages: [
        {
          topic: 'a',
          messages: [
            { value: 'a0', partition: 0 },
            { value: 'a1', partition: 1 },
            { value: 'a2', partition: 1 },
          ],
        },
        // The partitioner chose: the answer cannot say which message went where.
        { topic: 'b', messages: [{ value: 'b0' }, { value: 'b1' }] },
      ],
    });

    for (const send of [...named('send a'), ...named('send b')]) {
      expect(send.attributes[PARTITION]).toBeUndefined();
      expect(send.attributes[OFFSET]).toBeUndefined();
    }
    expect(named('create a').map((span) => [span.attributes[PARTITION], span.attributes[OFFSET]])).toEqual([
      ['0', 10],
      ['1', 20],
      ['1', 21],
    ]);
    expect(named('create b').map((span) => [span.attributes[PARTITION], span.attributes[OFFSET]])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it('sendBatch entries of the same topic count on from each other, as kafkajs merges them', async () => {
    const client = kafka();
    client.answer = () => [{ topicName: 'orders', partition: 0, baseOffset: '7' }];
    await client.producer().sendBatch({
      topicMessages: [
        { topic: 'orders', messages: [{ value: '1' }, { value: '2' }] },
        { topic: 'orders', messages: [{ value: '3' }] },
      ],
    });
    expect(named('create orders').map((span) => span.attributes[OFFSET])).toEqual([7, 8, 9]);
    const sends = named('send orders');
    expect(sends.map((span) => span.attributes[PARTITION])).toEqual(['0', '0']);
    // The single-message send span has its message's offset.
    expect(sends.map((span) => span.attributes[OFFSET])).toEqual([undefined, 9]);
  });

  it('a failed send: the create spans still end, with no assignment', async () => {
    const client = kafka();
    client.failWith = new Error('broker down');
    await expect(client.producer().send({ topic: 'orders', messages: [{ value: 'a' }] })).rejects.toThrow();
    const [create] = named('create orders');
    expect(create?.ended).toBe(true);
    expect(create?.attributes[OFFSET]).toBeUndefined();
  });

  it('an answer without metadata (acks 0, a changed shape) sets nothing and breaks nothing', async () => {
    for (const answer of [[], undefined, 'x', [null, 42, { topicName: 'orders', partition: 'x' }]]) {
      exporter.reset();
      const client = kafka();
      client.answer = () => answer;
      await expect(client.producer().send({ topic: 'orders', messages: [{ value: 'a' }] })).resolves.toBe(answer);
      for (const span of exporter.getFinishedSpans()) expect(span.attributes[OFFSET]).toBeUndefined();
      expect(exporter.getFinishedSpans()).toHaveLength(2);
    }
  });

  it('under messaging/dup the offset also carries its 1.44 name', async () => {
    setMessagingSemconvMode('dup');
    try {
      const client = kafka();
      client.answer = () => [{ topicName: 'orders', partition: 1, baseOffset: '12' }];
      await client.producer().send({ topic: 'orders', messages: [{ value: 'a' }] });
      for (const span of [...named('send orders'), ...named('create orders')]) {
        expect(span.attributes).toMatchObject({ [PARTITION]: '1', [OFFSET]: 12, 'messaging.kafka.offset': 12 });
      }
    } finally {
      setMessagingSemconvMode('current');
    }
  });

  it('does not read the answer when no span records', async () => {
    const client = kafka();
    let reads = 0;
    const answer = [{ topicName: 'orders', partition: 1, baseOffset: '12' }];
    // Promises look up `then` on whatever they resolve with: only other reads are ours.
    const counting = {
      get: (target: object, key: string | symbol): unknown => {
        if (key !== 'then') reads++;
        return Reflect.get(target, key) as unknown;
      },
    };
    client.answer = () => new Proxy(answer, counting);
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
    });
    await context.with(unsampled, () => client.producer().send({ topic: 'orders', messages: [{ value: 'a' }] }));
    expect(reads).toBe(0);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('captureBodySize', () => {
  it('is off by default', async () => {
    const { kafka } = patchedKafkaJs({ createSpansPerMessage: true });
    await kafka()
      .producer()
      .send({ topic: 'orders', messages: [{ value: 'abc' }] });
    for (const span of exporter.getFinishedSpans()) {
      expect(span.attributes['messaging.message.body.size']).toBeUndefined();
    }
  });

  it('records the size in bytes on create spans and a single-message send span, never on a batch span', async () => {
    const { kafka } = patchedKafkaJs({ createSpansPerMessage: true, captureBodySize: true });
    const producer = kafka().producer();
    await producer.send({ topic: 'orders', messages: [{ value: 'é€' }] });
    await producer.send({ topic: 'orders', messages: [{ value: Buffer.alloc(7) }, { value: null }] });
    const sizes = (name: string) => named(name).map((span) => span.attributes['messaging.message.body.size']);
    expect(sizes('send orders')).toEqual([5, undefined]);
    expect(sizes('create orders')).toEqual([5, 7, undefined]);
  });
});
