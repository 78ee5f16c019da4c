// Checks shared by the amqplib e2e tests (test/amqplib*.test.ts): what the spans
// of a scenario run by fixtures/amqplib-app.{cjs,mjs} must look like.
import assert from 'node:assert/strict';
import { runFixtureOk } from './fixture.ts';
import type { ModuleSystem } from './fixture.ts';
import type { OtlpReceiver, ReceivedSpan } from './otlp/receiver.ts';
import {
  expectAttributes,
  expectChildOf,
  expectEnded,
  expectKind,
  expectLinkedTo,
  findSpan,
  spansNamed,
} from './otlp/trace-assertions.ts';

export interface AmqpScenarioRun<T> {
  result: T;
  spans: ReceivedSpan[];
}

/** Runs one scenario of fixtures/amqplib-app.{cjs,mjs} (see amqplib-scenarios*.cjs) and collects its spans. */
export async function runAmqplibScenario<T>(
  receiver: OtlpReceiver,
  rabbitmqUrl: string,
  scenario: string,
  system: ModuleSystem = 'cjs',
  env: Record<string, string> = {},
): Promise<AmqpScenarioRun<T>> {
  receiver.clear();
  const fixture = await runFixtureOk(system === 'cjs' ? 'amqplib-app.cjs' : 'amqplib-app.mjs', system, {
    receiver,
    args: [scenario],
    env: { E2E_RABBITMQ_URL: rabbitmqUrl, ...env },
  });
  return { result: fixture.result as T, spans: receiver.spans() };
}

/** The spans whose parent is `parent`, by name. */
export function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan, name: RegExp): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId && name.test(span.name));
}

export interface Fanout {
  exchange: string;
  queues: string[];
  sentHeaders: Record<string, unknown>;
  deliveries: Array<{ queue: string; headers: Record<string, unknown> }>;
  callerUnchanged: boolean;
}

/** Topic fan-out to two queues: one trace, each process span a child of the publish span, headers exact. */
export function checkFanout({ result, spans }: AmqpScenarioRun<Fanout>, rabbitPort: number): void {
  const place = findSpan(spans, { name: 'app place order' });
  const publish = findSpan(spans, { name: `publish ${result.exchange}:order.created`, kind: 'PRODUCER' });
  expectChildOf(publish, place);
  expectAttributes(publish, {
    'messaging.system.name': 'rabbitmq',
    'messaging.operation.name': 'publish',
    'messaging.operation.type': 'send',
    'messaging.destination.name': `${result.exchange}:order.created`,
    'rabbitmq.destination.routing_key': 'order.created',
    'messaging.message.id': 'msg-1',
    'messaging.message.conversation_id': 'conv-1',
    'server.address': '127.0.0.1',
    'server.port': rabbitPort,
  });
  for (const span of spans) {
    for (const value of Object.values(span.attributes)) assert.doesNotMatch(JSON.stringify(value), /guest/);
  }
  const processes = childrenOf(spans, publish, /^process /);
  assert.deepEqual(
    processes.map((span) => span.name).sort(),
    result.queues.map((queue) => `process ${result.exchange}:order.created:${queue}`).sort(),
  );
  for (const process of processes) {
    expectKind(process, 'CONSUMER');
    expectLinkedTo(process, publish);
    expectEnded(process);
    expectAttributes(process, {
      'messaging.operation.type': 'process',
      'messaging.message.id': 'msg-1',
      'otel_mq.message.redelivered': false,
      'rabbitmq.message.delivery_tag': (value) => typeof value === 'number',
    });
    const [ack] = childrenOf(spans, process, /^ack /);
    assert.ok(ack, `no ack span under ${process.name}`);
    expectKind(ack, 'CLIENT');
    expectAttributes(ack, { 'messaging.operation.type': 'settle' });
  }
  for (const delivery of result.deliveries) assert.deepEqual(delivery.headers, result.sentHeaders);
  assert.equal(result.callerUnchanged, true, "the application's options object is unchanged after publish");
}

export interface Confirms {
  queue: string;
  full: string;
  acked: { error: unknown; extra: number };
  nacked: { error: unknown; extra: number };
}

/** ConfirmChannel: the span ends at the broker's ack; a broker nack (queue full, reject-publish) is an error span. */
export function checkConfirms({ result, spans }: AmqpScenarioRun<Confirms>): void {
  assert.deepEqual(result.acked, { error: null, extra: 0 }, 'the callback gets what amqplib gives on ack');
  assert.deepEqual(result.nacked, { error: 'message nacked', extra: 0 });
  const acked = findSpan(spans, { name: `publish ${result.queue}`, kind: 'PRODUCER' });
  expectAttributes(acked, { 'messaging.destination.name': result.queue, 'messaging.message.id': 'confirm-ok' });
  assert.equal(acked.status.code, 'UNSET');
  const nacked = findSpan(spans, {
    name: `publish ${result.full}`,
    attributes: { 'messaging.message.id': 'overflows' },
  });
  assert.equal(nacked.status.code, 'ERROR');
  expectAttributes(nacked, { 'error.type': /./ });
  const fills = findSpan(spans, { name: `publish ${result.full}`, attributes: { 'messaging.message.id': 'fills' } });
  assert.equal(fills.status.code, 'UNSET');
}

export interface ConfirmClose {
  queue: string;
  /** How waitForConfirms() settled after the channel was lost, promise API: `resolved`, `rejected: …`, `pending`. */
  promiseApi: string;
  /** The same, callback API (amqplib 0.10 and 1.x leave it pending). */
  callbackApi: string;
}

/**
 * A confirm channel lost with unconfirmed publishes (made without a callback):
 * waitForConfirms() rejects exactly as it does with the plugin turned off, and
 * the plugin still recorded each publish, ended when publish returned.
 */
export function checkConfirmClose(traced: AmqpScenarioRun<ConfirmClose>, bare: AmqpScenarioRun<ConfirmClose>): void {
  assert.equal(bare.result.promiseApi, 'rejected: channel closed', 'amqplib on its own');
  assert.notEqual(bare.result.callbackApi, 'resolved', 'amqplib on its own');
  const outcomes = (run: AmqpScenarioRun<ConfirmClose>) => [run.result.promiseApi, run.result.callbackApi];
  assert.deepEqual(outcomes(traced), outcomes(bare), 'with the plugin, as without it');
  assert.equal(bare.spans.filter((span) => span.name.startsWith('publish ')).length, 0, 'the plugin was off');
  const publishes = spansNamed(traced.spans, `publish ${traced.result.queue}`);
  assert.equal(publishes.length, 6, 'three publishes per API');
  for (const span of publishes) {
    expectEnded(span);
    assert.equal(span.status.code, 'UNSET');
  }
}

export interface CallbackApiRun {
  queue: string;
  confirmed: string;
  got: boolean;
}

/** The callback API: a confirmed publish, a get linked to it, and one process span. */
export function checkCallbackApi({ result, spans }: AmqpScenarioRun<CallbackApiRun>): void {
  assert.deepEqual([result.confirmed, result.got], ['acked', true]);
  const [first] = spansNamed(spans, `publish ${result.queue}`);
  assert.ok(first);
  expectChildOf(first, findSpan(spans, { name: 'app callback publish' }));
  expectLinkedTo(findSpan(spans, { name: `receive ${result.queue}` }), first);
  assert.equal(spansNamed(spans, `process ${result.queue}`).length, 1);
}

export interface Handlers {
  asyncQueue: string;
  throwQueue: string;
  rejectQueue: string;
  channelError: string;
  unhandled: string[];
}

/** Async, rejecting and throwing consumers: spans end when they settle; errors reach the app unchanged. */
export function checkHandlers({ result, spans }: AmqpScenarioRun<Handlers>): void {
  const asyncProcess = findSpan(spans, { name: `process ${result.asyncQueue}` });
  expectChildOf(findSpan(spans, { name: 'app async work' }), asyncProcess);
  assert.equal(asyncProcess.status.code, 'UNSET');
  expectEnded(asyncProcess);
  const rejected = findSpan(spans, { name: `process ${result.rejectQueue}` });
  assert.equal(rejected.status.code, 'ERROR');
  assert.deepEqual(result.unhandled, ['async handler failed'], 'the rejection surfaces once, as without us');
  const thrown = findSpan(spans, { name: `process ${result.throwQueue}` });
  expectKind(thrown, 'CONSUMER');
  assert.equal(thrown.status.code, 'ERROR');
  expectAttributes(thrown, { 'error.type': 'Error' });
  assert.match(result.channelError, /Error while processing message|handler threw/);
}
