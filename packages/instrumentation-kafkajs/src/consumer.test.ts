// Consumer surface: eachMessage process spans.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { consumedMessage, exporter, patchedKafkaJs, PRODUCER_TRACEPARENT } from './test-support/fake-kafkajs';

const { kafka } = patchedKafkaJs();
beforeEach(() => exporter.reset());

describe('consumer', () => {
  const payload = (headers: Record<string, unknown>) => ({
    topic: 'orders',
    partition: 1,
    message: consumedMessage('7', headers),
  });

  it('runs eachMessage inside a process span parented on the producer', async () => {
    const client = kafka();
    let active: string | undefined;
    await client.consumer({ groupId: 'billing' }).run({
      eachMessage: async () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
      },
    });
    await client.runConfig?.eachMessage?.(payload({ traceparent: Buffer.from(PRODUCER_TRACEPARENT) }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process orders');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(active).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toMatchObject({ 'messaging.consumer.group.name': 'billing', 'kafka.offset': 7 });
  });

  it('hands kafkajs the same rejection and ends the span as an error', async () => {
    const client = kafka();
    const error = new TypeError('handler failed');
    await client.consumer({ groupId: 'g' }).run({ eachMessage: () => Promise.reject(error) });
    await expect(client.runConfig?.eachMessage?.(payload({}))).rejects.toBe(error);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('treats a malformed traceparent as no context', async () => {
    const client = kafka();
    await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => undefined });
    await client.runConfig?.eachMessage?.(payload({ traceparent: Buffer.from([0xff, 0x00]), tracestate: 42 }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.links).toEqual([]);
  });

  it('records the value size in bytes on the process span with captureBodySize, and not without', async () => {
    const { kafka: withSize } = patchedKafkaJs({ captureBodySize: true });
    for (const [client, expected] of [
      [withSize(), 4],
      [kafka(), undefined],
    ] as const) {
      exporter.reset();
      await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => undefined });
      const message = { ...consumedMessage('8'), value: Buffer.from('né!') };
      await client.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message });
      expect(exporter.getFinishedSpans()[0]?.attributes['messaging.message.body.size']).toBe(expected);
    }
  });
});
