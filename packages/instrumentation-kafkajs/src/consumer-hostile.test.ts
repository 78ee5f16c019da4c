// Consumer surface under generated hostile messages: whatever kafkajs hands on
// from the wire (headers of any shape, keys and values of any type), eachMessage
// and eachBatch run exactly once with the very same objects, and every process
// span ends. A seeded PRNG, not fast-check: this package does not depend on it.
import { consumedMessage, exporter, patchedKafkaJs } from './test-support/fake-kafkajs';

const MESSAGES = 300;

function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * (max + 1));
  return { int, pick: <T>(items: T[]): T => items[int(items.length - 1)] as T };
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function hostileValue(g: ReturnType<typeof prng>): unknown {
  const { proxy, revoke } = Proxy.revocable({}, {});
  return g.pick<() => unknown>([
    () => TRACEPARENT,
    () => Buffer.from(TRACEPARENT),
    () => Buffer.from([0xff, 0xfe, 0xc0, g.int(255)]),
    () => 'x'.repeat(g.int(2) * 600_000),
    () => [Buffer.from(TRACEPARENT), 'garbage', 42],
    () => Array.from({ length: 10_000 }, () => TRACEPARENT),
    () => g.int(1_000_000),
    () => null,
    () => undefined,
    () => ({ nested: { traceparent: TRACEPARENT } }),
    () => (revoke(), proxy),
    () =>
      Object.defineProperty({}, 'value', {
        enumerable: true,
        get() {
          throw new Error('hostile getter');
        },
      }),
  ])();
}

function hostileHeaders(g: ReturnType<typeof prng>): unknown {
  const headers: Record<string, unknown> = {};
  for (let i = g.int(6); i > 0; i--) {
    const key = g.pick(['traceparent', 'TraceParent', 'tracestate', 'baggage', '__proto__', 'constructor', 'x-user']);
    Object.defineProperty(headers, key, {
      value: hostileValue(g),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  const { proxy, revoke } = Proxy.revocable({}, {});
  return g.pick<() => unknown>([
    () => headers,
    () => headers,
    () => headers,
    () =>
      JSON.parse(
        `{"__proto__": {"traceparent": "${TRACEPARENT}"}, "constructor": {"prototype": {"polluted": 1}}}`,
      ) as unknown,
    () => undefined,
    () => null,
    () => 'traceparent',
    () => [TRACEPARENT],
    () => (revoke(), proxy),
  ])();
}

function hostileMessage(g: ReturnType<typeof prng>, offset: number) {
  const message = consumedMessage(String(offset), {}) as Record<string, unknown>;
  message['headers'] = hostileHeaders(g);
  message['key'] = g.pick<unknown>([null, 'key', Buffer.from([0xff]), 42, { k: 1 }]);
  message['value'] = g.pick<unknown>([null, Buffer.alloc(0), Buffer.from([0xff, 0x00]), 'text']);
  if (g.int(3) === 0) message['offset'] = g.pick<unknown>(['-1', 'abc', undefined, 99]);
  return message;
}

describe('consumer under generated hostile messages', () => {
  const { kafka } = patchedKafkaJs();
  beforeEach(() => exporter.reset());

  it(`eachMessage: ${MESSAGES} messages, each handled exactly once with the same objects, every span ended`, async () => {
    const g = prng(20261122);
    const client = kafka();
    const seen: unknown[] = [];
    await client.consumer({ groupId: 'g' }).run({
      eachMessage: async (payload: unknown) => {
        seen.push(payload);
      },
    });
    for (let i = 0; i < MESSAGES; i++) {
      const payload = { topic: 'orders', partition: 0, message: hostileMessage(g, i) };
      const before = seen.length;
      await client.runConfig?.eachMessage?.(payload);
      expect(seen.length).toBe(before + 1);
      // Compared with ===: jest's diff would touch the revoked Proxies inside.
      expect(seen[before] === payload).toBe(true);
      expect((seen[before] as typeof payload).message === payload.message).toBe(true);
    }
    const spans = exporter.getFinishedSpans().filter((span) => span.name.startsWith('process'));
    expect(spans).toHaveLength(MESSAGES);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(`hostile-input: ${MESSAGES} generated kafkajs messages through eachMessage`);
  });

  it(`eachBatch: ${MESSAGES} messages in batches, the handler runs once per batch with the same batch`, async () => {
    const g = prng(7);
    const client = kafka();
    const seen: unknown[] = [];
    await client.consumer({ groupId: 'g' }).run({
      eachBatch: async (payload: unknown) => {
        seen.push(payload);
      },
    });
    let sent = 0;
    let batches = 0;
    while (sent < MESSAGES) {
      const messages = Array.from({ length: 1 + g.int(20) }, () => hostileMessage(g, sent++));
      const payload = {
        batch: { topic: 'orders', partition: 1, messages, highWatermark: '1000' },
        resolveOffset: () => undefined,
        heartbeat: async () => undefined,
        isRunning: () => true,
        isStale: () => false,
      };
      await client.runConfig?.eachBatch?.(payload);
      batches++;
      expect(seen).toHaveLength(batches);
      // The plugin may hand on its own payload (it wraps resolveOffset to time each message),
      // but the batch and its messages are the very objects kafkajs gave.
      const handed = seen[batches - 1] as typeof payload;
      expect(handed.batch === payload.batch).toBe(true);
      expect(handed.batch.messages === messages).toBe(true);
    }
    // Every span started for the batches has ended: none is left for the exporter to miss.
    expect(exporter.getFinishedSpans().length).toBeGreaterThanOrEqual(batches);
    console.log(`hostile-input: ${sent} generated kafkajs messages in ${batches} batches through eachBatch`);
  });
});
