// Powertools' processor, faked with the shape 2.x has (`register(records,
// handler, options)`), patched by hand as jest bypasses require-in-the-middle.
// The real library, async and sync, runs in e2e/test/powertools-batch.test.ts.
import { SpanStatusCode } from '@opentelemetry/api';
import { finishedSpans, useInstrumentation } from '../../test/harness';

const { instrumentation } = useInstrumentation();

class FakeProcessor {
  handler: ((record: unknown) => unknown) | undefined;
  register(_records: unknown[], handler: (record: unknown) => unknown) {
    this.handler = handler;
    return this;
  }
}

beforeAll(() => {
  const definition = instrumentation()
    .getModuleDefinitions()
    .find((candidate) => candidate.name === '@aws-lambda-powertools/batch');
  definition?.patch?.({ BasePartialBatchProcessor: FakeProcessor }, '2.35.0');
});

const sqsRecord = (body: string) => ({
  messageId: body,
  body,
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
});

describe('@aws-lambda-powertools/batch', () => {
  it('gives the processor back exactly what a sync handler returns or throws', () => {
    const processor = new FakeProcessor().register([], (record) => {
      if ((record as { body: string }).body === 'bad') throw new Error('bad record');
      return 'done';
    });
    expect(processor.handler?.(sqsRecord('ok'))).toBe('done');
    expect(() => processor.handler?.(sqsRecord('bad'))).toThrow('bad record');
    expect(finishedSpans().map((span) => [span.name, span.status.code])).toEqual([
      ['process orders', SpanStatusCode.UNSET],
      ['process orders', SpanStatusCode.ERROR],
    ]);
  });

  it('ends the span of an async handler when its promise settles, rejecting as it does', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an undefined rejection is the case under test
    const processor = new FakeProcessor().register([], async () => Promise.reject(undefined));
    await expect(processor.handler?.(sqsRecord('x'))).rejects.toBeUndefined();
    expect(finishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('passes Kinesis and DynamoDB records straight through', () => {
    const processor = new FakeProcessor().register([], () => 'kinesis');
    expect(processor.handler?.({ eventSource: 'aws:kinesis' })).toBe('kinesis');
    expect(finishedSpans()).toEqual([]);
  });
});
