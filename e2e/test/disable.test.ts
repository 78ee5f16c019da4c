// disable() on a plugin the application's own NodeSDK lists stops everything it
// recorded, on the producer and the running consumer it had already instrumented:
// real kafkajs against the Kafka wire protocol.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { renderTree } from '../src/otlp/trace-assertions.ts';

interface Seen {
  value: string;
  active: boolean;
  traceparent: string | null;
}

describe('disable()', () => {
  const brokers = brokersFromEnv();
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('kafkajs: an existing producer and a running consumer record nothing after it', async () => {
    receiver.clear();
    const run = await runFixtureOk('kafka-disable.cjs', 'cjs', {
      receiver,
      register: false,
      env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, E2E_KAFKA_TOPIC: 'e2e-disable' },
    });
    const { disabledAtMs, seen } = run.result as { disabledAtMs: number; seen: Seen[] };
    assert.equal(seen.length, 2, JSON.stringify(seen));
    const [enabled, disabled] = seen as [Seen, Seen];
    assert.ok(enabled.active && enabled.traceparent, 'while enabled: handled in a process span, context injected');
    assert.equal(disabled.active, false, 'after disable(): no process span around the handler');
    assert.equal(disabled.traceparent, null, 'after disable(): nothing injected');

    const spans = receiver.spans();
    const names = spans.map((span) => span.name);
    assert.ok(names.includes('send e2e-disable') && names.includes('process e2e-disable'), renderTree(spans));
    const later = spans.filter((span) => Number(span.startTimeUnixNano / 1_000_000n) >= disabledAtMs);
    assert.deepEqual(later, [], `no span starts after disable()\n${renderTree(later)}`);
  });
});
