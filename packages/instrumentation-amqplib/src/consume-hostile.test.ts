// Consumers under generated hostile deliveries: whatever the broker hands on
// (headers of any shape, x-death tables gone wrong, odd properties), the callback
// runs exactly once with the very same message object and one process span ends
// per delivery. A seeded PRNG, not fast-check: this package does not depend on it.
import {
  delivery,
  exporter,
  flush,
  openChannel,
  patchAmqplib,
  PRODUCER_TRACEPARENT,
  startConsumer,
} from '../test/harness';
import type { AnyChannel } from '../test/harness';

const harness = patchAmqplib();
const Channel = harness.promiseApi['Channel'] as unknown as new (c: never) => AnyChannel;
const DELIVERIES = 300;

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

function value(g: Prng, depth = 0): unknown {
  return g.pick<unknown>([
    () => PRODUCER_TRACEPARENT,
    () => Buffer.from(PRODUCER_TRACEPARENT),
    () => Buffer.from([0xff, 0xfe, g.int(255)]),
    () => 'x'.repeat(g.int(2) * 600_000),
    () => g.int(1_000_000) - 500_000,
    () => g.int(1) === 1,
    () => null,
    () => ({ '!': 'longstr', value: PRODUCER_TRACEPARENT }),
    () => (depth < 3 ? [value(g, depth + 1), value(g, depth + 1)] : 'leaf'),
    () => (depth < 3 ? { nested: value(g, depth + 1) } : 'leaf'),
    () => revoked(),
  ]);
}

function xDeath(g: Prng): unknown {
  return g.pick<unknown>([
    () =>
      Array.from({ length: g.int(200) }, () => ({
        count: g.pick<unknown>([() => g.int(5), () => -1, () => 'x', () => 2 ** 60]),
        queue: value(g),
        reason: value(g),
      })),
    () => value(g),
    () => [revoked(), null, 42],
  ]);
}

function headers(g: Prng): Record<string, unknown> | undefined {
  const table: Record<string, unknown> = {};
  for (let i = g.int(6); i > 0; i--) {
    const key = g.pick([
      () => 'traceparent',
      () => 'tracestate',
      () => 'baggage',
      () => '__proto__',
      () => 'constructor',
      () => `x-${i}`,
    ]);
    Object.defineProperty(table, key, { value: value(g), enumerable: true, configurable: true, writable: true });
  }
  if (g.int(2) === 0) table['x-death'] = xDeath(g);
  if (g.int(3) === 0) table['x-first-death-queue'] = value(g);
  return g.pick<Record<string, unknown> | undefined>([
    () => table,
    () => table,
    () => undefined,
    () =>
      JSON.parse(
        `{"__proto__": {"traceparent": "${PRODUCER_TRACEPARENT}"}, "x-death": [{"count": 1, "__proto__": {"count": 5}}]}`,
      ) as Record<string, unknown>,
    () => revoked() as Record<string, unknown>,
  ]);
}

describe('consume under generated hostile deliveries', () => {
  it(`${DELIVERIES} deliveries: the callback runs once with the same message, a process span for each readable one`, async () => {
    const g = prng(20261122);
    const channel = openChannel(Channel as never);
    const seen: unknown[] = [];
    const tag = await startConsumer(channel, 'q', (message) => void seen.push(message));
    exporter.reset();
    let readable = 0;
    for (let i = 0; i < DELIVERIES; i++) {
      const proxiesBefore = proxiesMade;
      const message = delivery(tag, headers(g), {
        properties: g.pick<Record<string, unknown>>([
          () => ({}),
          () => ({ messageId: value(g), correlationId: value(g), timestamp: value(g) }),
        ]),
        routingKey: g.pick<string>([() => 'rk', () => '', () => 'x'.repeat(300)]),
      });
      if (proxiesMade === proxiesBefore) readable++;
      channel.emit('delivery', message);
      await flush();
      expect(seen).toHaveLength(i + 1);
      // Compared with ===: jest's diff would touch the revoked Proxies inside.
      expect(seen[i] === message).toBe(true);
    }
    const processSpans = exporter.getFinishedSpans().filter((span) => span.name.startsWith('process'));
    // A delivery the plugin cannot read (a revoked Proxy inside) runs uninstrumented; every other one is traced.
    expect(processSpans.length).toBeGreaterThanOrEqual(readable);
    expect(processSpans.length).toBeLessThanOrEqual(DELIVERIES);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(
      `hostile-input: ${DELIVERIES} generated AMQP deliveries through consume (${processSpans.length} traced, ${readable} without Proxies)`,
    );
  });
});
