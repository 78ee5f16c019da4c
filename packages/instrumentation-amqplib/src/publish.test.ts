// Publish, sendToQueue and ConfirmChannel against amqplib's real channel classes
// over a fake connection (see test/harness.ts).
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { appTracer, exporter, openChannel, patchAmqplib, telemetryDeps } from '../test/harness';
import type { AnyChannel } from '../test/harness';
import type { AnyFunction } from './internal-types';
import { patchConfirmPublish } from './patches/publish';
import { endOwnedOperations } from '@org/messaging-propagation/internal';
import { rememberServer } from './telemetry/server';

const harness = patchAmqplib({ captureBodySize: true });
const { Channel, ConfirmChannel } = harness.promiseApi as Record<string, new (c: never) => AnyChannel>;
const callbackApi = harness.callbackApi as Record<string, new (c: never) => AnyChannel>;

beforeEach(() => exporter.reset());

function channelOn(Class: new (c: never) => AnyChannel): AnyChannel {
  const channel = openChannel(Class as never);
  rememberServer(channel.connection, { address: 'rabbit.internal', port: 5672 });
  return channel;
}

/** amqplib's list of confirm callbacks: `false` for a publish without one, `null` once confirmed. */
const unconfirmed = (channel: AnyChannel) =>
  (channel as unknown as { unconfirmed: unknown[] }).unconfirmed.map((entry) =>
    typeof entry === 'function' ? 'callback' : entry,
  );

/** `waitForConfirms` of either API, as a promise. */
function waitForConfirms(channel: AnyChannel, api: 'promise' | 'callback'): Promise<unknown> {
  if (api === 'promise') return channel['waitForConfirms']!() as Promise<unknown>;
  return new Promise((resolve, reject) =>
    channel['waitForConfirms']!((error: unknown) => (error instanceof Error ? reject(error) : resolve(undefined))),
  );
}

describe('publish', () => {
  it('makes a PRODUCER span and publishes a copy of the options with the context', () => {
    const channel = channelOn(Channel!);
    const options = Object.freeze({
      headers: Object.freeze({ 'x-user': 'kept' }),
      messageId: 'm-7',
      correlationId: 'c-9',
    });
    const returned = channel['publish']!('orders', 'order.created', Buffer.from('hello'), options);

    expect(returned).toBe(true);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('publish orders:order.created');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toEqual({
      'messaging.system.name': 'rabbitmq',
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders:order.created',
      'rabbitmq.destination.routing_key': 'order.created',
      'messaging.message.id': 'm-7',
      'messaging.message.conversation_id': 'c-9',
      'messaging.message.body.size': 5,
      'server.address': 'rabbit.internal',
      'server.port': 5672,
    });
    const sent = channel.connection.sent[0];
    const headers = sent?.properties?.['headers'] as Record<string, unknown>;
    expect(headers['x-user']).toBe('kept');
    expect(headers['traceparent']).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
    expect(options.headers).toEqual({ 'x-user': 'kept' });
  });

  it('names the default exchange amq.default and parents on the active span', () => {
    const channel = channelOn(Channel!);
    const parent = appTracer.startSpan('app');
    context.with(trace.setSpan(context.active(), parent), () => channel['sendToQueue']!('jobs', Buffer.from('x')));
    parent.end();
    const publish = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.PRODUCER);
    expect(publish?.name).toBe('publish jobs');
    expect(publish?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    channel['publish']!('', '', Buffer.from('x'));
    expect(exporter.getFinishedSpans().at(-1)?.name).toBe('publish amq.default');
  });

  it('passes a synchronous throw through and marks the span', () => {
    const channel = channelOn(Channel!);
    channel.toClosed();
    expect(() => channel['publish']!('orders', 'k', Buffer.from('x'))).toThrow(/Channel closed/);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('IllegalOperationError');
  });

  it('warns about options it cannot carry context in, and publishes them as given', () => {
    const channel = channelOn(Channel!);
    const warn = jest.fn();
    const noop = () => undefined;
    diag.setLogger({ warn, error: noop, info: noop, debug: noop, verbose: noop }, DiagLogLevel.WARN);
    try {
      channel['publish']!('orders', 'k', Buffer.from('x'), 'not options');
      // amqplib itself rejects such headers: its error reaches the caller as it is.
      expect(() => channel['publish']!('orders', 'k', Buffer.from('x'), { headers: 'not a table' })).toThrow(TypeError);
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      diag.disable();
    }
    expect(channel.connection.sent).toHaveLength(1);
    expect(exporter.getFinishedSpans().map((span) => span.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.ERROR,
    ]);
  });

  it('works the same on the callback API', () => {
    const channel = channelOn(callbackApi['Channel']!);
    channel['publish']!('orders', 'k', Buffer.from('x'), { headers: { a: 1 } });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['publish orders:k']);
  });
});

describe('ConfirmChannel', () => {
  for (const api of ['promise', 'callback'] as const) {
    const Confirm = api === 'promise' ? ConfirmChannel! : callbackApi['ConfirmChannel']!;

    it(`ends the span at the broker's ack and hands amqplib's arguments to the callback (${api})`, () => {
      const channel = channelOn(Confirm);
      const calls: unknown[][] = [];
      channel['publish']!('orders', 'k', Buffer.from('x'), {}, (...args: unknown[]) => calls.push(args));
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      channel.emit('ack', { deliveryTag: 1, multiple: false });
      expect(calls).toEqual([[null]]);
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => span.name)).toEqual(['publish orders:k']);
      expect(spans[0]?.status.code).toBe(SpanStatusCode.UNSET);
    });

    it(`ends the span as an error on a broker nack (${api})`, () => {
      const channel = channelOn(Confirm);
      const calls: unknown[][] = [];
      channel['sendToQueue']!('jobs', Buffer.from('x'), undefined, (...args: unknown[]) => calls.push(args));
      channel.emit('nack', { deliveryTag: 1, multiple: false });
      expect((calls[0]?.[0] as Error).message).toBe('message nacked');
      const [span] = exporter.getFinishedSpans();
      expect(span?.name).toBe('publish jobs');
      expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'message nacked' });
    });

    // amqplib's close handling relies on the `false` it queues for a publish
    // without a callback (1.x keeps only those on close; 0.10 stops emptying the
    // list at the first): a function there made waitForConfirms() resolve after
    // the channel was lost. e2e/test/amqplib-versions.test.ts runs 0.10 and 1.x.
    it(`without a callback, leaves amqplib's placeholder alone and ends the span when publish returns (${api})`, () => {
      const channel = channelOn(Confirm);
      channel['publish']!('orders', 'k', Buffer.from('x'), {});
      channel['sendToQueue']!('jobs', Buffer.from('y'), {}, null);
      channel['publish']!('orders', 'k', Buffer.from('z'), {}, () => undefined);
      expect(unconfirmed(channel)).toEqual([false, false, 'callback']);
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => [span.name, span.status.code])).toEqual([
        ['publish orders:k', SpanStatusCode.UNSET],
        ['publish jobs', SpanStatusCode.UNSET],
      ]);
    });

    for (const waitBeforeClose of [true, false]) {
      it(`waitForConfirms rejects when the channel closes with unconfirmed publishes, called ${waitBeforeClose ? 'before' : 'after'} (${api})`, async () => {
        const channel = channelOn(Confirm);
        const answers: unknown[] = [];
        channel['publish']!('orders', 'k', Buffer.from('x'));
        channel['publish']!('orders', 'k', Buffer.from('y'), {}, (error: Error | null) => answers.push(error?.message));
        channel['publish']!('orders', 'k', Buffer.from('z'));
        const before = waitBeforeClose ? waitForConfirms(channel, api) : undefined;
        channel.toClosed();
        await expect(before ?? waitForConfirms(channel, api)).rejects.toThrow('channel closed');
        expect(answers).toEqual(['channel closed']);
        // The publish awaiting its confirm ends as an error; the others ended when publish returned.
        expect(exporter.getFinishedSpans().map((span) => span.status.code)).toEqual([
          SpanStatusCode.UNSET,
          SpanStatusCode.UNSET,
          SpanStatusCode.ERROR,
        ]);
      });
    }
  }

  it('after the instrumentation is disabled, a pending confirm reaches the callback and nothing is recorded', () => {
    const state = { enabled: true };
    const publishConfirmHook = jest.fn();
    let confirm: AnyFunction | undefined;
    const publish = patchConfirmPublish(telemetryDeps(state, { publishConfirmHook }))(function (...args: unknown[]) {
      confirm = args[4] as AnyFunction;
      return true;
    });
    const channel = {};
    const calls: unknown[][] = [];
    publish.call(channel, 'orders', 'k', Buffer.from('x'), {}, (...args: unknown[]) => calls.push(args));
    state.enabled = false;
    confirm?.call(channel, null);
    endOwnedOperations(channel);
    expect(calls).toEqual([[null]]);
    expect(publishConfirmHook).not.toHaveBeenCalled();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('makes one span per publish, not one for ConfirmChannel and one for the Channel it extends', () => {
    const channel = channelOn(ConfirmChannel!);
    channel['publish']!('orders', 'k', Buffer.from('x'), {}, () => undefined);
    channel.emit('ack', { deliveryTag: 1, multiple: false });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});
