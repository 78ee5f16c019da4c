// Process and batch spans are timed by the SDK's own clock, so spans the handler
// starts nest inside them even when the wall clock has drifted from
// `performance.timeOrigin + performance.now()` (as it does in long-lived processes).
import { hrTimeToMicroseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { appTracer, consumedMessage, exporter, patchedKafkaJs } from './test-support/fake-kafkajs';
import { traceKafkaBatchMessage } from './index';

const { kafka } = patchedKafkaJs();
const DRIFT_MS = 60_000;
const realNow = Date.now.bind(Date);

beforeEach(() => {
  exporter.reset();
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + DRIFT_MS);
});
afterEach(() => jest.restoreAllMocks());

/** Starts and ends a span inside the handler, as the application's own code would. */
function childWork(): void {
  appTracer.startSpan('app work').end();
}

/**
 * The SDK maps each span's `performance.now()` readings onto the wall clock with
 * an offset read from `Date.now()` when the span starts: whole milliseconds, so
 * two spans' offsets differ by up to about a millisecond.
 */
const SLACK_US = 2_000;

function expectNested(parent: ReadableSpan | undefined, child: ReadableSpan | undefined): void {
  const [start, end] = [hrTimeToMicroseconds(parent!.startTime), hrTimeToMicroseconds(parent!.endTime)];
  expect(hrTimeToMicroseconds(child!.startTime)).toBeGreaterThanOrEqual(start - SLACK_US);
  expect(hrTimeToMicroseconds(child!.endTime)).toBeLessThanOrEqual(end + SLACK_US);
  // Within a second of each other: the same clock, not one off by the drift.
  expect(end - start).toBeLessThan(1_000_000);
}

const spanNamed = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name);

describe('process span timing', () => {
  it('an eachMessage span contains the spans its handler starts', async () => {
    const client = kafka();
    await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => childWork() });
    await client.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message: consumedMessage('1') });
    expectNested(spanNamed('process orders'), spanNamed('app work'));
  });

  it('a batch span and its per-message spans contain the spans their work starts', async () => {
    const client = kafka();
    const batch = { topic: 'orders', partition: 0, messages: [consumedMessage('1'), consumedMessage('2')] };
    await client.consumer({ groupId: 'g' }).run({
      eachBatch: async ({
        batch: given,
        resolveOffset,
      }: {
        batch: typeof batch;
        resolveOffset: (o: string) => void;
      }) => {
        await traceKafkaBatchMessage(given, given.messages[0]!, childWork);
        childWork();
        resolveOffset('2');
      },
    } as never);
    await client.runConfig?.eachBatch?.({ batch, resolveOffset: () => undefined });
    const spans = exporter.getFinishedSpans();
    const batchSpan = spans.find((span) => span.attributes['messaging.batch.message_count'] === 2);
    const perMessage = spans.filter((span) => span.name === 'process orders' && span !== batchSpan);
    const work = spans.filter((span) => span.name === 'app work');
    expect(perMessage).toHaveLength(2);
    for (const span of [...perMessage, ...work]) expectNested(batchSpan, span);
    expectNested(perMessage[0], work[0]);
  });
});
