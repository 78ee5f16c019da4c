import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { finishedSpans, SPAN_ID, spanNamed, TRACE_ID, TRACEPARENT, useInstrumentation } from '../../test/harness';
import { FLUSH_CAP_MS, FLUSH_MARGIN_MS } from './flush';
import { processSqsRecord } from './records';
import type { SqsEvent, SqsRecord } from './types';
import { withBatchItemFailures, wrapSqsHandler } from './wrapper';

const harness = useInstrumentation();

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
    const invocation = spans.find((span) => span.attributes['faas.invocation.id'] === 'req-lambda');
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

describe('unreadable records', () => {
  it('are left out alone: the invocation and the readable records are still traced', async () => {
    const { proxy: unreadable, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile getter');
        },
      },
    );
    const { proxy: unreadableAttributes, revoke: revokeAttributes } = Proxy.revocable({}, {});
    revokeAttributes();
    const event = {
      Records: [
        record('a', { messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } } }),
        unreadable,
        throwing,
        record('b', {
          attributes: unreadableAttributes,
          messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } },
        }),
      ],
    } as unknown as SqsEvent;
    const seen: unknown[] = [];
    const handler = wrapSqsHandler(
      async (received: SqsEvent) => {
        seen.push(received);
        const records = received.Records ?? [];
        await processSqsRecord(records[0] as SqsRecord, () => 'done');
        await processSqsRecord(records[3] as SqsRecord, () => {
          throw new Error('b failed');
        }).catch(() => undefined);
        return { note: 'ok' };
      },
      { flush: false, reportBatchItemFailures: true },
    );
    // Partial batch responses still work for the readable records.
    await expect(handler(event, lambdaContext)).resolves.toEqual({
      note: 'ok',
      batchItemFailures: [{ itemIdentifier: 'b' }],
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(event);
    const invocation = finishedSpans().find((span) => span.attributes['faas.invocation.id'] === 'req-lambda');
    // The unreadable records are left out; the one with unreadable attributes still links to its producer.
    expect(invocation?.attributes['messaging.batch.message_count']).toBe(2);
    expect(invocation?.links.map((link) => link.context.spanId)).toEqual([SPAN_ID, SPAN_ID]);
    const processed = finishedSpans().filter((span) => span.attributes['messaging.message.id'] === 'a');
    expect(processed).toHaveLength(1);
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

describe('partial batch responses', () => {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
  const rejectWithoutReason = () => Promise.reject(undefined);
  const event = (): SqsEvent => ({ Records: [record('m1'), record('m2')] });
  const failM2 = async (received: SqsEvent) => {
    await Promise.allSettled(
      (received.Records ?? []).map((item) =>
        processSqsRecord(item, () => {
          if (item.messageId === 'm2') throw new Error('bad');
        }),
      ),
    );
  };

  it('are built with the plugin disabled and no context manager (no SDK started)', async () => {
    const { instrumentation } = harness;
    instrumentation().disable();
    context.disable();
    try {
      const handler = wrapSqsHandler(failM2, { reportBatchItemFailures: true, flush: false });
      await expect(handler(event(), lambdaContext)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
      expect(finishedSpans()).toEqual([]);
    } finally {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      instrumentation().enable();
    }
  });

  it('are built when starting the invocation telemetry throws', async () => {
    const odd = {
      get awsRequestId(): string {
        throw new Error('odd Lambda context');
      },
    };
    const handler = wrapSqsHandler(failM2, { reportBatchItemFailures: true, flush: false });
    await expect(handler(event(), odd)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(finishedSpans().filter((span) => span.attributes['faas.trigger'] !== undefined)).toEqual([]);
  });

  it('leave out a record that failed, was retried by the handler and then succeeded', async () => {
    const handler = wrapSqsHandler(
      async (received: SqsEvent) => {
        for (const item of received.Records ?? []) {
          for (let attempt = 1; attempt <= 2; attempt++) {
            const ok = await processSqsRecord(item, () => {
              if (item.messageId === 'm1' && attempt === 1) throw new Error('transient');
            }).then(
              () => true,
              () => false,
            );
            if (ok) break;
          }
        }
      },
      { reportBatchItemFailures: true, flush: false },
    );
    await expect(handler(event(), lambdaContext)).resolves.toBeUndefined();
    const invocation = finishedSpans().find((span) => span.attributes['faas.trigger'] !== undefined);
    expect(invocation?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('count work rejecting with undefined as a failure, on the process span too', async () => {
    const handler = wrapSqsHandler(
      async (received: SqsEvent) => {
        await Promise.allSettled(
          (received.Records ?? []).map((item) =>
            processSqsRecord(item, () => (item.messageId === 'm2' ? rejectWithoutReason() : 1)),
          ),
        );
      },
      { reportBatchItemFailures: true, flush: false },
    );
    const response = (await handler(event(), lambdaContext)) as { batchItemFailures: unknown };
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    const m2 = finishedSpans().find((span) => span.attributes['messaging.message.id'] === 'm2');
    expect(m2?.status.code).toBe(SpanStatusCode.ERROR);
    expect(m2?.attributes['error.type']).toBe('_OTHER');
  });

  it('report a failing copy of a record without a context manager, while one invocation is under way', async () => {
    context.disable();
    try {
      const copying = (tag: string) =>
        wrapSqsHandler(
          async (received: SqsEvent) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            await Promise.allSettled(
              (received.Records ?? [])
                .map((item) => ({ ...item }))
                .map((copy) =>
                  processSqsRecord(copy, () => {
                    if (copy.messageId?.endsWith('2')) throw new Error(`bad ${tag}`);
                  }),
                ),
            );
          },
          { reportBatchItemFailures: true, flush: false },
        );
      await expect(copying('alone')(event(), lambdaContext)).resolves.toEqual({
        batchItemFailures: [{ itemIdentifier: 'm2' }],
      });
      // Two at once, as on Lambda Managed Instances: each still finds its own.
      const [x, y] = await Promise.all([
        copying('x')({ Records: [record('x1'), record('x2')] }, lambdaContext),
        copying('y')({ Records: [record('y1'), record('y2')] }, lambdaContext),
      ]);
      expect([x, y]).toEqual([
        { batchItemFailures: [{ itemIdentifier: 'x2' }] },
        { batchItemFailures: [{ itemIdentifier: 'y2' }] },
      ]);
    } finally {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    }
  });

  it('report a failing copy of a record, by its messageId', async () => {
    const handler = wrapSqsHandler(
      async (received: SqsEvent) => {
        await Promise.allSettled(
          (received.Records ?? [])
            .map((item) => ({ ...item, body: item.body?.toUpperCase() }))
            .map((copy) =>
              processSqsRecord(copy, () => {
                if (copy.messageId === 'm2') throw new Error('bad');
              }),
            ),
        );
      },
      { reportBatchItemFailures: true, flush: false },
    );
    await expect(handler(event(), lambdaContext)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('never name a record that is not in the batch', async () => {
    const handler = wrapSqsHandler(
      () => processSqsRecord(record('elsewhere'), () => Promise.reject(new Error('bad'))).catch(() => 'caught'),
      { reportBatchItemFailures: true, flush: false },
    );
    await expect(handler(event(), lambdaContext)).resolves.toBe('caught');
  });

  it('mark the invocation failed when the handler rejects with undefined', async () => {
    const handler = wrapSqsHandler(rejectWithoutReason, { flush: false });
    await expect(handler(event(), lambdaContext)).rejects.toBeUndefined();
    const invocation = finishedSpans().find((span) => span.attributes['faas.trigger'] !== undefined);
    expect(invocation?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('handler styles', () => {
  it('calls an async handler with its own this and every argument', async () => {
    const seen: unknown[] = [];
    const handler = wrapSqsHandler(function (this: unknown, ...args: unknown[]) {
      seen.push(this, ...args);
      return Promise.resolve('done');
    });
    const self = { name: 'runtime' };
    const extra = () => undefined;
    const event: SqsEvent = { Records: [record('a')] };
    await expect(
      (handler as (...args: unknown[]) => Promise<unknown>).call(self, event, lambdaContext, extra),
    ).resolves.toBe('done');
    expect(seen).toEqual([self, event, lambdaContext, extra]);
  });

  it('gives a callback-style handler a callback and answers with what it is called with', async () => {
    const runtimeCallback = jest.fn();
    const handler = wrapSqsHandler(
      (_event: SqsEvent, _context: unknown, callback: (error?: unknown, result?: unknown) => void) => {
        setTimeout(() => callback(null, { ok: true }), 5);
      },
      { flush: false },
    );
    await expect(
      (handler as (...args: unknown[]) => Promise<unknown>)({ Records: [record('a')] }, lambdaContext, runtimeCallback),
    ).resolves.toEqual({ ok: true });
    expect(runtimeCallback).not.toHaveBeenCalled();
    expect(spanNamed('process orders').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('rejects with the error a callback-style handler passes, and adds its failed records', async () => {
    const error = new Error('callback error');
    const failing = wrapSqsHandler(
      (_event: SqsEvent, _context: unknown, callback: (error?: unknown) => void) => callback(error),
      { flush: false },
    );
    await expect(failing({ Records: [record('a')] }, lambdaContext)).rejects.toBe(error);
    const reporting = wrapSqsHandler(
      (event: SqsEvent, _context: unknown, callback: (error?: unknown, result?: unknown) => void) => {
        void processSqsRecord(event.Records![0]!, () => {
          throw new Error('bad');
        }).catch(() => callback(null, null));
      },
      { reportBatchItemFailures: true, flush: false },
    );
    await expect(reporting({ Records: [record('a')] }, lambdaContext)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'a' }],
    });
  });
});

describe('flushing before returning', () => {
  const stuck = () => new Promise<never>(() => undefined);

  afterEach(() => jest.useRealTimers());

  async function settledAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await jest.advanceTimersByTimeAsync(ms);
    return settled;
  }

  it('gives up on a stuck flush before the Lambda timeout, keeping a margin', async () => {
    jest.useFakeTimers();
    const handler = wrapSqsHandler(() => 'done', { flush: stuck });
    const answer = handler({ Records: [record('a')] }, { ...lambdaContext, getRemainingTimeInMillis: () => 1_000 });
    expect(await settledAfter(answer, 1_000 - FLUSH_MARGIN_MS - 1)).toBe(false);
    expect(await settledAfter(answer, 1)).toBe(true);
    await expect(answer).resolves.toBe('done');
  });

  it('caps a stuck flush when the context does not tell the remaining time', async () => {
    jest.useFakeTimers();
    const handler = wrapSqsHandler(
      () => {
        throw new Error('handler crashed');
      },
      { flush: stuck },
    );
    const answer = handler({ Records: [record('a')] }, lambdaContext);
    answer.catch(() => undefined);
    expect(await settledAfter(answer, FLUSH_CAP_MS - 1)).toBe(false);
    expect(await settledAfter(answer, 1)).toBe(true);
    await expect(answer).rejects.toThrow('handler crashed');
  });

  it('clears its timer once the flush is done', async () => {
    jest.useFakeTimers();
    const handler = wrapSqsHandler(() => 'done', { flush: () => Promise.resolve() });
    await expect(handler({ Records: [record('a')] }, { getRemainingTimeInMillis: () => 60_000 })).resolves.toBe('done');
    await jest.advanceTimersByTimeAsync(0); // the in-memory exporter's own timers
    expect(jest.getTimerCount()).toBe(0);
  });
});
