// A rejection is a failure whatever it carries: handlers and kafkajs calls that
// reject with `undefined` end their spans as errors, with `error.type` `_OTHER`.
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { consumedMessage, exporter, patchedKafkaJs } from './test-support/fake-kafkajs';

const { kafka } = patchedKafkaJs({ commitSpans: true });
beforeEach(() => exporter.reset());

function expectFailed(span: ReadableSpan | undefined): void {
  expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  expect(span?.attributes['error.type']).toBe('_OTHER');
}

describe('rejecting with undefined', () => {
  it('fails the eachMessage process span, and kafkajs gets the same rejection', async () => {
    const client = kafka();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    await client.consumer({ groupId: 'g' }).run({ eachMessage: () => Promise.reject(undefined) });
    const payload = { topic: 'orders', partition: 0, message: consumedMessage('1') };
    await expect(client.runConfig?.eachMessage?.(payload)).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the eachBatch span', async () => {
    const client = kafka();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    await client.consumer({ groupId: 'g' }).run({ eachBatch: () => Promise.reject(undefined) });
    const batch = { topic: 'orders', partition: 0, messages: [consumedMessage('1')] };
    await expect(client.runConfig?.eachBatch?.({ batch, resolveOffset: () => undefined })).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the send span', async () => {
    const client = kafka();
    client.rejectWithUndefined = true;
    await expect(client.producer().send({ topic: 'orders', messages: [{ value: 'v' }] })).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the commit span', async () => {
    const client = kafka();
    client.rejectWithUndefined = true;
    const consumer = client.consumer({ groupId: 'g' }) as unknown as {
      commitOffsets(offsets: unknown[]): Promise<void>;
    };
    await expect(consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '2' }])).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans()[0]);
  });
});
