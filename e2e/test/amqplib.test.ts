// amqplib 2.x through a real RabbitMQ, instrumented by the register entry, in
// real Node processes (CommonJS and ESM): publish → process is one connected
// trace, confirms, failures, redelivery, retries, dead-lettering, pull,
// settlement, metrics, and no span left open when channels close. amqplib 0.10
// and 1.x: amqplib-versions.test.ts; the broker going away: amqplib-broker-loss.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  checkCallbackApi,
  checkConfirmClose,
  checkConfirms,
  checkFanout,
  checkHandlers,
  childrenOf,
  runAmqplibScenario,
} from '../src/amqplib-checks.ts';
import type { CallbackApiRun, ConfirmClose, Confirms, Fanout, Handlers } from '../src/amqplib-checks.ts';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import {
  expectAttributes,
  expectChildOf,
  expectEnded,
  expectLinkedTo,
  expectSameTrace,
  findSpan,
  spansNamed,
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const rabbitPort = Number(new URL(brokers.rabbitmqUrl).port);
const SYSTEMS: ModuleSystem[] = ['cjs', 'esm'];

describe('amqplib', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  // Settle spans are opt-in; most scenarios here check them, so they turn them on.
  const run = <T>(scenario: string, system: ModuleSystem = 'cjs', env: Record<string, string> = {}) =>
    runAmqplibScenario<T>(receiver, brokers.rabbitmqUrl, scenario, system, {
      OTEL_MQ_AMQPLIB_SETTLE_SPANS: 'true',
      ...env,
    });

  for (const system of SYSTEMS) {
    it(`topic fan-out to two queues is one trace: each process span is a child of the publish span (${system})`, async () => {
      checkFanout(await run<Fanout>('fanout', system), rabbitPort);
    });
  }

  it('OTEL_MQ_AMQPLIB_CAPTURE_BODY_SIZE: the content size in bytes on the publish and every process span, and only then', async () => {
    const sizes = async (env: Record<string, string>) => {
      const { result, spans } = await run<Fanout>('fanout', 'cjs', env);
      const publish = findSpan(spans, { name: `publish ${result.exchange}:order.created`, kind: 'PRODUCER' });
      const processes = childrenOf(spans, publish, /^process /);
      assert.equal(processes.length, 2);
      return [publish, ...processes].map((span) => span.attributes['messaging.message.body.size']);
    };
    // The fixture publishes `{}`: 2 bytes.
    assert.deepEqual(await sizes({ OTEL_MQ_AMQPLIB_CAPTURE_BODY_SIZE: 'true' }), [2, 2, 2]);
    assert.deepEqual(await sizes({}), [undefined, undefined, undefined]);
  });

  it('records the four messaging metrics, settle durations included, with low-cardinality attributes only', async () => {
    receiver.clear();
    const fixture = await runFixtureOk('amqplib-app.cjs', 'cjs', {
      receiver,
      args: ['fanout'],
      env: {
        E2E_RABBITMQ_URL: brokers.rabbitmqUrl,
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_MQ_AMQPLIB_SETTLE_SPANS: 'true',
      },
    });
    const { exchange, queues } = fixture.result as Fanout;
    const names = [
      'messaging.client.operation.duration',
      'messaging.client.sent.messages',
      'messaging.process.duration',
      'messaging.client.consumed.messages',
    ];
    const metrics = await receiver.waitForMetrics((received) =>
      names.every((name) => received.some((metric) => metric.name === name)),
    );
    const points = (name: string) => metrics.filter((metric) => metric.name === name).flatMap((m) => m.dataPoints);
    const published = points('messaging.client.sent.messages').find(
      (p) => p.attributes['messaging.destination.name'] === `${exchange}:order.created`,
    );
    assert.equal(published?.value, 1);
    assert.equal(published?.attributes['messaging.operation.name'], 'publish');
    for (const queue of queues) {
      const destination = `${exchange}:order.created:${queue}`;
      const consumed = points('messaging.client.consumed.messages').find(
        (p) => p.attributes['messaging.destination.name'] === destination,
      );
      assert.equal(consumed?.value, 1, destination);
      const processed = points('messaging.process.duration').find(
        (p) => p.attributes['messaging.destination.name'] === destination,
      );
      assert.equal(processed?.count, 1, destination);
      const settled = points('messaging.client.operation.duration').find(
        (p) =>
          p.attributes['messaging.destination.name'] === destination &&
          p.attributes['messaging.operation.name'] === 'ack',
      );
      assert.equal(settled?.count, 1, destination);
      assert.equal(settled?.attributes['messaging.message.id'], undefined, 'no high-cardinality attribute on metrics');
    }
  });

  it('confirm channel: sendToQueue on the default exchange ends at the ack; a broker nack is an error span', async () => {
    checkConfirms(await run<Confirms>('confirms'));
  });

  for (const system of SYSTEMS) {
    it(`async, rejecting and throwing handlers: spans end when they settle, errors reach the app unchanged (${system})`, async () => {
      checkHandlers(await run<Handlers>('handlers', system));
    });
  }

  it('nack with requeue, then redelivery: both deliveries in the publish trace, the redelivery flagged', async () => {
    const { result, spans } = await run<{ queue: string; seen: Array<{ redelivered: boolean }> }>('requeue');
    assert.deepEqual(result.seen, [{ redelivered: false }, { redelivered: true }]);
    const publish = findSpan(spans, { name: `publish ${result.queue}` });
    const [first, second] = spansNamed(spans, `process ${result.queue}`);
    assert.ok(first && second, 'two process spans');
    for (const span of [first, second]) expectChildOf(span, publish);
    expectAttributes(first, { 'otel_mq.message.redelivered': false });
    expectAttributes(second, { 'otel_mq.message.redelivered': true });
    const [nack] = childrenOf(spans, first, /^nack /);
    assert.ok(nack, 'a nack span under the first delivery');
    expectAttributes(nack, { 'messaging.operation.name': 'nack', 'otel_mq.settle.requeue': true });
    assert.equal(childrenOf(spans, second, /^ack /).length, 1);
  });

  it('by default, a nack and an ack make no settle span (nor metric); the deliveries are traced as with them', async () => {
    const { result, spans } = await run<{ queue: string; seen: Array<{ redelivered: boolean }> }>('requeue', 'cjs', {
      OTEL_MQ_AMQPLIB_SETTLE_SPANS: '',
    });
    assert.deepEqual(result.seen, [{ redelivered: false }, { redelivered: true }]);
    const publish = findSpan(spans, { name: `publish ${result.queue}` });
    const deliveries = spansNamed(spans, `process ${result.queue}`);
    assert.equal(deliveries.length, 2);
    for (const span of deliveries) expectChildOf(span, publish);
    assert.deepEqual(
      spans.filter((span) => span.attributes['messaging.operation.type'] === 'settle').map((span) => span.name),
      [],
    );
  });

  it('a consumer that republishes to a retry queue continues the trace; a noAck consumer gets no settle span', async () => {
    const { result, spans } = await run<{ queue: string; retryQueue: string; attempts: number }>('retry');
    assert.equal(result.attempts, 1);
    const first = findSpan(spans, { name: `process ${result.queue}` });
    expectChildOf(first, findSpan(spans, { name: `publish ${result.queue}` }));
    const republish = findSpan(spans, { name: `publish ${result.retryQueue}` });
    expectChildOf(republish, first);
    const retried = findSpan(spans, { name: `process ${result.retryQueue}` });
    expectChildOf(retried, republish);
    assert.equal(childrenOf(spans, retried, /^(ack|nack|reject)/).length, 0);
  });

  it('dead-letter exchange: the DLQ consumer is in the original trace, with the death count', async () => {
    const { result, spans } = await run<{
      work: string;
      dlx: string;
      dlq: string;
      deathCount: number;
      headers: object;
    }>('deadLetter');
    assert.equal(result.deathCount, 1);
    assert.equal((result.headers as Record<string, unknown>)['x-user'], 'kept', 'user headers survive dead-lettering');
    const publish = findSpan(spans, { name: `publish ${result.work}` });
    const rejected = findSpan(spans, { name: `process ${result.work}` });
    const reject = findSpan(spans, { name: `reject ${result.work}` });
    expectChildOf(reject, rejected);
    expectAttributes(reject, { 'otel_mq.settle.requeue': false });
    const dead = findSpan(spans, { name: new RegExp(`^process ${result.dlx}:.*${result.dlq}$`) });
    expectChildOf(dead, publish);
    expectSameTrace(dead, findSpan(spans, { name: 'app send doomed' }));
    expectAttributes(dead, {
      'otel_mq.rabbitmq.death.count': 1,
      'otel_mq.rabbitmq.death.first_queue': result.work,
      'otel_mq.rabbitmq.death.first_reason': 'rejected',
    });
  });

  it('channel.get: a receive span linked to the producer, and processMessage in a connected process span', async () => {
    const { result, spans } = await run<{ queue: string; result: string }>('pull');
    assert.equal(result.result, 'ran');
    const publish = findSpan(spans, { name: `publish ${result.queue}` });
    const received = spansNamed(spans, `receive ${result.queue}`).find((span) => span.links.length > 0);
    assert.ok(received, 'a receive span that got the message');
    expectLinkedTo(received, publish);
    expectChildOf(received, findSpan(spans, { name: 'app poll' }), spans);
    const process = findSpan(spans, { name: /^process /, kind: 'CONSUMER' });
    expectChildOf(process, publish);
    expectLinkedTo(process, received);
    expectChildOf(findSpan(spans, { name: 'app run job' }), process);
    expectChildOf(findSpan(spans, { name: /^ack / }), process);
  });

  it('a channel closed with unacked messages and a handler that never finishes leaves no span open', async () => {
    const { result, spans } = await run<{ queue: string; delivered: number }>('closeUnacked');
    const processes = spansNamed(spans, `process ${result.queue}`);
    assert.equal(processes.length, result.delivered);
    for (const span of processes) expectEnded(span);
    const abandoned = processes.filter((span) => span.status.code === 'ERROR');
    assert.equal(abandoned.length, 1);
    expectAttributes(abandoned[0]!, { 'error.type': 'ChannelClosedError' });
  });

  it('a malformed traceparent from a foreign producer is processed normally, as a new trace', async () => {
    const queue = `e2e-foreign-${randomUUID().slice(0, 8)}`;
    await run('foreignPublish', 'cjs', { E2E_AMQP_QUEUE: queue, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib' });
    assert.equal(receiver.spans().filter((span) => span.name.startsWith('publish')).length, 0);
    const { result, spans } = await run<{ headers: Record<string, unknown> }>('foreignConsume', 'cjs', {
      E2E_AMQP_QUEUE: queue,
    });
    assert.equal(result.headers['x-user'], 'kept');
    const process = findSpan(spans, { name: `process ${queue}` });
    assert.equal(process.parentSpanId, undefined);
    assert.deepEqual(process.links, []);
    expectChildOf(findSpan(spans, { name: 'app handle foreign' }), process);
  });

  it('confirm channel lost with unconfirmed publishes: waitForConfirms rejects as without the plugin', async () => {
    const bare = await run<ConfirmClose>('confirmClose', 'cjs', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib' });
    checkConfirmClose(await run<ConfirmClose>('confirmClose'), bare);
  });

  it('the callback API: confirm publish, get and consume', async () => {
    checkCallbackApi(await run<CallbackApiRun>('callbackApi'));
  });
});
