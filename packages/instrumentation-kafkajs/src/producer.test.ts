// Producer surface: send, sendBatch, per-message create spans.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { exporter, patchedKafkaJs } from './test-support/fake-kafkajs';

const { kafka } = patchedKafkaJs();
beforeEach(() => exporter.reset());

describe('producer', () => {
  it('sends copies with the send span context and leaves the caller objects alone', async () => {
    const client = kafka();
    const message = Object.freeze({ key: 'k', value: 'v', headers: Object.freeze({ 'x-user': 'kept' }) });
    const record = Object.freeze({ topic: 'orders', messages: Object.freeze([message]) });
    await client.producer().send(record);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('send orders');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toMatchObject({
      'messaging.system.name': 'kafka',
      'messaging.client.id': 'unit',
      'server.address': 'broker-1',
      'server.port': 9092,
      'messaging.destination.partition.id': '2',
      'kafka.offset': 41,
      'kafka.message.key': 'k',
    });
    const sent = client.sent[0] as { messages: Array<{ headers: Record<string, string> }> };
    expect(sent.messages[0]?.headers).toEqual({
      'x-user': 'kept',
      traceparent: `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`,
    });
    expect(message.headers).toEqual({ 'x-user': 'kept' });
  });

  it('makes one span per topic of a batch, not one per message', async () => {
    const client = kafka();
    const messages = Array.from({ length: 50 }, (_, i) => ({ value: String(i) }));
    await client.producer().sendBatch({
      topicMessages: [
        { topic: 'a', messages },
        { topic: 'b', messages },
      ],
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['send a', 'send b']);
    expect(spans[0]?.attributes['messaging.batch.message_count']).toBe(50);
  });

  it('passes the original error through and marks the span', async () => {
    const client = kafka();
    const error = Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE' });
    client.failWith = error;
    await expect(client.producer().send({ topic: 'orders', messages: [{ value: 'x' }] })).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('LEADER_NOT_AVAILABLE');
  });
});

describe('createSpansPerMessage', () => {
  const { kafka: kafkaWithCreate } = patchedKafkaJs({ createSpansPerMessage: true });

  it('gives each message its own create span and context, linked from the send span', async () => {
    const client = kafkaWithCreate();
    await client.producer().send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b', key: 'k2' }] });
    const spans = exporter.getFinishedSpans();
    const creates = spans.filter((span) => span.name === 'create orders');
    const send = spans.find((span) => span.name === 'send orders');
    expect(creates).toHaveLength(2);
    expect(creates.every((span) => span.kind === SpanKind.PRODUCER)).toBe(true);
    expect(creates[1]?.attributes['kafka.message.key']).toBe('k2');
    expect(send?.links.map((link) => link.context.spanId)).toEqual(creates.map((span) => span.spanContext().spanId));
    const sent = client.sent[0] as { messages: Array<{ headers: Record<string, string> }> };
    expect(sent.messages.map((message) => message.headers['traceparent'])).toEqual(
      creates.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`),
    );
  });
});
