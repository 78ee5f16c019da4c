// After disable(), producers and consumers created while the plugin was enabled
// record nothing: the wrappers left on them call straight through to kafkajs.
// (In a real process disable() also unwraps Kafka.prototype; see the e2e suite.)
import { trace } from '@opentelemetry/api';
import { consumedMessage, exporter, patchedKafkaJs, PRODUCER_TRACEPARENT } from './test-support/fake-kafkajs';

const { instrumentation, kafka } = patchedKafkaJs({ commitSpans: true });
beforeEach(() => {
  exporter.reset();
  instrumentation.enable();
});

const message = () => ({ topic: 'orders', partition: 0, message: consumedMessage('1') });
const batch = () => ({ topic: 'orders', partition: 0, messages: [consumedMessage('1')] });

describe('disable()', () => {
  it('stops an existing producer recording and injecting', async () => {
    const client = kafka();
    const producer = client.producer();
    await producer.send({ topic: 'orders', messages: [{ value: 'a' }] });
    expect(exporter.getFinishedSpans()).toHaveLength(1);

    instrumentation.disable();
    exporter.reset();
    const record = { topic: 'orders', messages: [{ value: 'b' }] };
    await producer.send(record);
    await producer.sendBatch({ topicMessages: [record] });
    expect(exporter.getFinishedSpans()).toEqual([]);
    // kafkajs gets the caller's own objects, with no context injected.
    expect(client.sent.slice(1)).toEqual([record, { topicMessages: [record] }]);
    expect(client.sent[1]).toBe(record);
  });

  it('stops a consumer already running recording process spans', async () => {
    const client = kafka();
    const consumer = client.consumer({ groupId: 'g' });
    const active: unknown[] = [];
    await consumer.run({
      eachMessage: async () => void active.push(trace.getActiveSpan()),
      eachBatch: async () => void active.push(trace.getActiveSpan()),
    });
    await client.runConfig?.eachMessage?.(message());
    expect(exporter.getFinishedSpans()).toHaveLength(1);

    instrumentation.disable();
    exporter.reset();
    const payload = message();
    await client.runConfig?.eachMessage?.({
      ...payload,
      message: { ...payload.message, headers: { traceparent: PRODUCER_TRACEPARENT } },
    });
    await client.runConfig?.eachBatch?.({ batch: batch(), resolveOffset: () => undefined });
    await (consumer as unknown as { commitOffsets(o: unknown[]): Promise<void> }).commitOffsets([
      { topic: 'orders', partition: 0, offset: '2' },
    ]);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(active.slice(1)).toEqual([undefined, undefined]);
  });

  it('records again once re-enabled', async () => {
    const client = kafka();
    const producer = client.producer();
    instrumentation.disable();
    instrumentation.enable();
    await producer.send({ topic: 'orders', messages: [{ value: 'c' }] });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});
