// processSqsMessage and the Lambda wrapper under generated hostile messages: the
// work runs exactly once with the same message (or record) object and its result
// comes back; a record the plugin cannot read runs uninstrumented. A seeded PRNG, not fast-check: this
// package does not depend on it.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context } from '@opentelemetry/api';
import { finishedSpans, QUEUE_URL, SPAN_ID, TRACE_ID, TRACEPARENT, useInstrumentation } from '../test/harness';
import type { SqsEvent, SqsRecord } from './lambda/types';
import { wrapSqsHandler } from './lambda/wrapper';
import { processSqsMessage } from './process';

useInstrumentation();

const MESSAGES = 300;
const X_RAY = `Root=1-${TRACE_ID.slice(0, 8)}-${TRACE_ID.slice(8)};Parent=${SPAN_ID};Sampled=1`;

function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * (max + 1));
  return { int, pick: <T>(items: Array<() => T>): T => (items[int(items.length - 1)] as () => T)() };
}
type Prng = ReturnType<typeof prng>;

/** How many revoked Proxies were generated: inputs without any must all be traced. */
let proxiesMade = 0;

function revoked(): object {
  proxiesMade++;
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function throwingGetter(key: string): object {
  return Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error('hostile getter');
    },
  });
}

function scalar(g: Prng): unknown {
  return g.pick<unknown>([
    () => TRACEPARENT,
    () => X_RAY,
    () => 'x'.repeat(g.int(2) * 600_000),
    () => Buffer.from([0xff, 0xfe, g.int(255)]),
    () => g.int(1_000_000),
    () => null,
    () => undefined,
    () => [TRACEPARENT, 1],
    () => revoked(),
    () => throwingGetter('StringValue'),
  ]);
}

/** `{ name: attribute }` in the SDK shape (`upper`) or the Lambda shape, with anything inside. */
function attributes(g: Prng, upper: boolean): unknown {
  const map: Record<string, unknown> = {};
  for (let i = g.int(11); i > 0; i--) {
    const key = g.pick([() => 'traceparent', () => 'tracestate', () => 'baggage', () => '__proto__', () => `a${i}`]);
    const value = g.pick<unknown>([
      () => (upper ? { DataType: 'String', StringValue: scalar(g) } : { dataType: 'String', stringValue: scalar(g) }),
      () => (upper ? { DataType: 'Binary', BinaryValue: scalar(g) } : { dataType: 'Binary', binaryValue: scalar(g) }),
      () => scalar(g),
    ]);
    Object.defineProperty(map, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return g.pick<unknown>([() => map, () => map, () => map, () => revoked(), () => null, () => 'traceparent', () => []]);
}

function body(g: Prng): unknown {
  return g.pick<unknown>([
    () => 'plain body',
    () =>
      JSON.stringify({
        Type: 'Notification',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
        MessageAttributes: {
          traceparent: { Type: 'String', Value: g.pick([() => TRACEPARENT, () => 'garbage', () => 'x'.repeat(9000)]) },
        },
      }),
    () => `{"Type":"Notification","TopicArn":"t","__proto__":{"polluted":1},"MessageAttributes":{"__proto__":1}}`,
    () => `{"Type":"Notification","TopicArn":"t"${' '.repeat(1_100_000)}}`,
    () => scalar(g),
  ]);
}

describe('processSqsMessage under generated hostile messages', () => {
  it(`${MESSAGES} messages: the work runs once with the same message and its result comes back`, async () => {
    const g = prng(20261122);
    let readable = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const proxiesBefore = proxiesMade;
      const message = {
        MessageId: g.pick<unknown>([() => `m-${i}`, () => undefined, () => 42]),
        ReceiptHandle: `rh-${i}`,
        Body: body(g),
        MessageAttributes: attributes(g, true),
        Attributes: g.pick<unknown>([
          () => ({ AWSTraceHeader: scalar(g), ApproximateReceiveCount: scalar(g), SentTimestamp: scalar(g) }),
          () => revoked(),
          () => throwingGetter('AWSTraceHeader'),
        ]),
      };
      if (proxiesMade === proxiesBefore) readable++;
      let calls = 0;
      const result = await processSqsMessage(
        message as never,
        () => {
          calls++;
          return i;
        },
        { queueUrl: g.pick<unknown>([() => QUEUE_URL, () => undefined, () => 7]) as string },
      );
      expect(calls).toBe(1);
      expect(result).toBe(i);
    }
    // A message the plugin cannot read runs uninstrumented (its own errors are caught): at most one span each.
    const processSpans = finishedSpans().filter((span) => span.name.startsWith('process'));
    expect(processSpans.length).toBeGreaterThanOrEqual(readable);
    console.log(`hostile-input: ${readable} of the SQS messages hold no Proxy`);
    expect(processSpans.length).toBeLessThanOrEqual(MESSAGES);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(
      `hostile-input: ${MESSAGES} generated SQS messages through processSqsMessage (${processSpans.length} traced, the rest run uninstrumented)`,
    );
  });
});

describe('wrapSqsHandler under generated hostile records', () => {
  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));

  it(`${MESSAGES} records in events: the handler runs once per event with the same event and its result comes back`, async () => {
    const g = prng(7);
    const seen: unknown[] = [];
    const handler = wrapSqsHandler(async (event: SqsEvent) => {
      seen.push(event);
      return 'ok';
    });
    let sent = 0;
    let events = 0;
    while (sent < MESSAGES) {
      const records = Array.from({ length: 1 + g.int(9) }, () => {
        const record = {
          messageId: `r-${sent++}`,
          receiptHandle: 'rh',
          body: body(g),
          attributes: g.pick<unknown>([
            () => ({ AWSTraceHeader: scalar(g), ApproximateReceiveCount: scalar(g), SentTimestamp: scalar(g) }),
            () => revoked(),
          ]),
          messageAttributes: attributes(g, false),
          eventSource: 'aws:sqs',
          eventSourceARN: g.pick<unknown>([
            () => 'arn:aws:sqs:eu-west-1:123456789012:orders',
            () => undefined,
            () => 5,
          ]),
          awsRegion: 'eu-west-1',
        };
        return record as unknown as SqsRecord;
      });
      const event = { Records: records };
      const result: unknown = await handler(event, { awsRequestId: `req-${events}`, functionName: 'fn' });
      events++;
      expect(result).toBe('ok');
      expect(seen).toHaveLength(events);
      expect(seen[events - 1] === event).toBe(true);
    }
    expect(finishedSpans().length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(
      `hostile-input: ${sent} generated Lambda SQS records in ${events} events through wrapSqsHandler (${finishedSpans().length} spans)`,
    );
  });
});
