import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { finishedSpans, SPAN_ID, spanNamed, TRACE_ID, TRACEPARENT, useInstrumentation } from '../../test/harness';
import { processSqsRecord } from './records';
import type { SqsEvent, SqsRecord } from './types';
import { withBatchItemFailures, wrapSqsHandler } from './wrapper';

useInstrumentation();

const ARN = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const X_RAY = `Root=1-${TRACE_ID.slice(0, 8)}-${TRACE_ID.slice(8)};Parent=${SPAN_ID};Sampled=1`;

function record(id: string, extra: Partial<SqsRecord> = {}): SqsRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: `body-${id}`,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now() - 1_000) },
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: ARN,
    awsRegion: 'eu-west-1',
    ...extra,
  };
}

const lambdaContext = {
  awsRequestId: 'req-lambda',
  functionName: 'orders-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fn',
};

describe('wrapSqsHandler', () => {
  it('records the batch, a process span per record and reports the failing records', async () => {
    const event: SqsEvent = {
      Records: [
        record('a', { messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } } }),
        record('b', { attributes: { AWSTraceHeader: X_RAY, ApproximateReceiveCount: '3' } }),
        record('c'),
      ],
    };
    const flushed: string[] = [];
    const handler = wrapSqsHandler(
      async (received: SqsEvent) => {
        for (const item of received.Records ?? []) {
          await processSqsRecord(item, () => {
            if (item.messageId === 'b') throw new Error('cannot handle b');
            return trace.getActiveSpan()?.spanContext().spanId;
          }).catch(() => undefined);
        }
        flushed.push('handler done');
      },
      {
        reportBatchItemFailures: true,
        flush: async () => {
          flushed.push(`flush with ${finishedSpans().length} spans ended`);
        },
      },
    );
    const response = await handler(event, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(flushed).toEqual(['handler done', 'flush with 4 spans ended']);
    const spans = finishedSpans().filter((span) => span.name === 'process orders');
    const invocation = spans.find((span) => span.attributes['faas.invocation_id'] === 'req-lambda');
    expect(invocation?.kind).toBe(SpanKind.CONSUMER);
    expect(invocation?.attributes).toMatchObject({
      'faas.trigger': 'pubsub',
      'faas.name': 'orders-fn',
      'cloud.provider': 'aws',
      'cloud.resource_id': lambdaContext.invokedFunctionArn,
      'cloud.region': 'eu-west-1',
      'messaging.batch.message_count': 3,
      'otel_mq.batch.failed_message_count': 1,
    });
    expect(invocation?.links.map((link) => link.context.spanId)).toEqual([SPAN_ID, SPAN_ID]);
    const perRecord = spans.filter((span) => span !== invocation);
    expect(perRecord.map((span) => span.attributes['messaging.message.id'])).toEqual(['a', 'b', 'c']);
    const [a, b, c] = perRecord;
    expect(a?.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(a?.attributes['otel_mq.context.carrier']).toBe('message-attributes');
    expect(b?.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(b?.attributes).toMatchObject({
      'otel_mq.context.carrier': 'aws-trace-header',
      'otel_mq.message.delivery_count': 3,
    });
    expect(b?.status.code).toBe(SpanStatusCode.ERROR);
    // No producer context: the record's span is a child of the invocation span.
    expect(c?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);
  });

  it('passes the handler error on unchanged, after ending and flushing', async () => {
    const error = new Error('handler crashed');
    let flushes = 0;
    const handler = wrapSqsHandler(
      () => {
        throw error;
      },
      {
        flush: async () => {
          flushes++;
        },
      },
    );
    await expect(handler({ Records: [record('a')] }, lambdaContext)).rejects.toBe(error);
    expect(flushes).toBe(1);
    expect(spanNamed('process orders').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('returns the handler result unchanged without reportBatchItemFailures, and copes with odd events', async () => {
    const result = { statusCode: 200 };
    const handler = wrapSqsHandler(() => result, { flush: false });
    await expect(handler({ Records: 'nope' } as never, null as never)).resolves.toBe(result);
    expect(spanNamed('process').attributes['messaging.batch.message_count']).toBe(0);
  });
});

describe('withBatchItemFailures', () => {
  it('merges with the handler own list without duplicates', () => {
    expect(
      withBatchItemFailures({ batchItemFailures: [{ itemIdentifier: 'x' }], other: 1 }, new Set(['x', 'y'])),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: 'x' }, { itemIdentifier: 'y' }], other: 1 });
    const result = { batchItemFailures: [] };
    expect(withBatchItemFailures(result, new Set())).toBe(result);
    expect(withBatchItemFailures('text', new Set(['x']))).toBe('text');
  });
});
