// KafkaJS-API producer surface: send, sendBatch (which calls send inside the
// client), transactions, per-message create spans, errors.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { appTracer, exporter, patchedConfluent } from './test-support/fake-confluent';

const { kafka } = patchedConfluent();
beforeEach(() => exporter.reset());

describe('producer', () => {
  it('sends copies with the send span context and leaves the caller objects alone', async () => {
    const client = kafka();
    const producer = client.producer();
    const message = Object.freeze({ key: 'k', value: 'v', headers: Object.freeze({ 'x-user': Buffer.from('kept') }) });
    const record = Object.freeze({ topic: 'orders', messages: Object.freeze([message]) });
    await producer.send(record as never);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('send orders');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.instrumentationScope.name).toBe('@org/instrumentation-confluent-kafka');
    expect(span?.attributes).toMatchObject({
      'messaging.system.name': 'kafka',
      'messaging.client.id': 'unit',
      'server.address': 'broker-1',
      'server.port': 9092,
      'messaging.destination.partition.id': '2',
      'kafka.offset': 41,
      'kafka.message.key': 'k',
    });
    const sent = client.producers[0]?.sent[0] as unknown as { messages: Array<{ headers: Record<string, unknown> }> };
    expect(sent.messages[0]?.headers).toEqual({
      'x-user': Buffer.from('kept'),
      traceparent: `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`,
    });
    // The client rewrote the copy (partition, value), not the caller's frozen message.
    expect(message).toEqual({ key: 'k', value: 'v', headers: { 'x-user': Buffer.from('kept') } });
  });

  it('reads the client id, brokers from bootstrap.servers, and per-client config over the common one', async () => {
    const client = kafka({ 'bootstrap.servers': 'b1:9093,b2:9094', 'client.id': 'common' });
    await client.producer({ kafkaJS: { clientId: 'own' } }).send({ topic: 'orders', messages: [{ value: 'x' }] });
    expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
      'messaging.client.id': 'own',
      'server.address': 'b1',
      'server.port': 9093,
    });
  });

  it('makes one span per topic of a batch, none for the sends the client makes inside it', async () => {
    const client = kafka();
    const messages = Array.from({ length: 50 }, (_, i) => ({ value: String(i) }));
    await appTracer.startActiveSpan('app', async (app) => {
      await client.producer().sendBatch({
        topicMessages: [
          { topic: 'a', messages },
          { topic: 'b', messages },
        ],
      });
      app.end();
    });
    const spans = exporter.getFinishedSpans().filter((span) => span.name !== 'app');
    expect(spans.map((span) => span.name).sort()).toEqual(['send a', 'send b']);
    expect(spans[0]?.attributes['messaging.batch.message_count']).toBe(50);
    const sent = client.producers[0]?.sent ?? [];
    expect(sent.map((record) => record.topic)).toEqual(['a', 'b']);
    // Each topic's messages carry its own send span's context, injected once.
    for (const record of sent) {
      const span = spans.find((candidate) => candidate.name === `send ${record.topic}`);
      for (const message of record.messages) {
        expect((message.headers as Record<string, string>)['traceparent']).toBe(
          `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`,
        );
      }
    }
    expect(messages[0]).toEqual({ value: '0' });
  });

  it('traces a transaction (the producer itself) once per send', async () => {
    const producer = kafka().producer({ kafkaJS: { transactionalId: 'tx' } });
    const transaction = await producer.transaction();
    expect(transaction).toBe(producer);
    await transaction.send({ topic: 'orders', messages: [{ value: 'x' }] });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['send orders']);
  });

  it('passes the original error through and marks the span', async () => {
    const producer = kafka().producer();
    const error = Object.assign(new Error('no leader'), { code: 'ERR__TRANSPORT' });
    (producer as unknown as { failWith: unknown }).failWith = error;
    await expect(producer.send({ topic: 'orders', messages: [{ value: 'x' }] })).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('ERR__TRANSPORT');
  });

  it('passes a malformed record straight to the client', async () => {
    const producer = kafka().producer();
    await expect(producer.send({ topic: 'orders' } as never)).rejects.toThrow();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('createSpansPerMessage', () => {
  const { kafka: kafkaWithCreate } = patchedConfluent({ createSpansPerMessage: true });

  it('gives each message its own create span and context, linked from the send span', async () => {
    const client = kafkaWithCreate();
    await client.producer().send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b', key: 'k2' }] });
    const spans = exporter.getFinishedSpans();
    const creates = spans.filter((span) => span.name === 'create orders');
    const send = spans.find((span) => span.name === 'send orders');
    expect(creates).toHaveLength(2);
    expect(creates[1]?.attributes['kafka.message.key']).toBe('k2');
    expect(send?.links.map((link) => link.context.spanId)).toEqual(creates.map((span) => span.spanContext().spanId));
  });
});
