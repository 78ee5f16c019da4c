// Consumers (promise and callback APIs) against amqplib's real channel classes over
// a fake connection: process spans, context policy, errors, closing channels.
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  appTracer,
  delivery,
  exporter,
  flush,
  openChannel,
  patchAmqplib,
  PRODUCER_TRACEPARENT,
  startConsumer,
  telemetryDeps,
} from '../test/harness';
import type { AnyChannel } from '../test/harness';
import type { ConsumeCallback } from './internal-types';
import { patchConsume } from './patches/consume';

const harness = patchAmqplib();
const apis = {
  promise: harness.promiseApi['Channel'] as unknown as new (c: never) => AnyChannel,
  callback: harness.callbackApi['Channel'] as unknown as new (c: never) => AnyChannel,
};

beforeEach(() => {
  exporter.reset();
  harness.instrumentation.setConfig({});
});

const PRODUCER_SPAN_ID = '00f067aa0ba902b7';

for (const [api, Channel] of Object.entries(apis)) {
  describe(`consume (${api} API)`, () => {
    it('runs the callback in a CONSUMER span parented on the producer, with a link to it', async () => {
      const channel = openChannel(Channel as never);
      let active: string | undefined;
      const tag = await startConsumer(channel, 'billing', () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
        appTracer.startSpan('app work').end();
      });
      channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT, 'x-user': 'kept' }));

      const process = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CONSUMER);
      expect(process?.name).toBe('process orders:order.created:billing');
      expect(process?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN_ID);
      expect(process?.links.map((link) => link.context.spanId)).toEqual([PRODUCER_SPAN_ID]);
      expect(active).toBe(process?.spanContext().spanId);
      expect(process?.attributes).toMatchObject({
        'messaging.system.name': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'orders:order.created:billing',
        'rabbitmq.destination.routing_key': 'order.created',
        'messaging.message.id': 'm-1',
        'messaging.message.conversation_id': 'c-1',
        'otel_mq.message.redelivered': false,
      });
      expect(typeof process?.attributes['rabbitmq.message.delivery_tag']).toBe('number');
    });

    it("keeps the producer's baggage in the handler's context", async () => {
      const channel = openChannel(Channel as never);
      let tenant: string | undefined;
      const tag = await startConsumer(channel, 'q', () => {
        tenant = propagation.getActiveBaggage()?.getEntry('tenant')?.value;
      });
      channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT, baggage: 'tenant=acme' }));
      expect(tenant).toBe('acme');
    });

    it("starts a new trace with only a link under the 'link' policy", async () => {
      harness.instrumentation.setConfig({ consumerContextPolicy: 'link' });
      const channel = openChannel(Channel as never);
      const tag = await startConsumer(channel, 'billing', () => undefined);
      channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT }));
      const [process] = exporter.getFinishedSpans();
      expect(process?.parentSpanContext).toBeUndefined();
      expect(process?.links.map((link) => link.context.spanId)).toEqual([PRODUCER_SPAN_ID]);
    });

    it('lets a predicate refuse the producer context per destination, failing closed when it throws', async () => {
      const seen: Array<{ system: string; destination: string | undefined }> = [];
      harness.instrumentation.setConfig({
        consumerContextPolicy: ({ system, destination }) => {
          seen.push({ system, destination });
          if (destination?.includes('broken')) throw new Error('policy bug');
          return destination?.includes('partner') ? 'link' : 'parent';
        },
      });
      try {
        const channel = openChannel(Channel as never);
        for (const queue of ['partner-events', 'billing', 'broken']) {
          exporter.reset();
          const tag = await startConsumer(channel, queue, () => undefined);
          channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT }));
          const [process] = exporter.getFinishedSpans();
          expect(process?.links.map((link) => link.context.spanId)).toEqual([PRODUCER_SPAN_ID]);
          expect(process?.parentSpanContext?.spanId).toBe(queue === 'billing' ? PRODUCER_SPAN_ID : undefined);
        }
        expect(seen.map(({ system }) => system)).toEqual(['rabbitmq', 'rabbitmq', 'rabbitmq']);
      } finally {
        harness.instrumentation.setConfig({});
      }
    });

    it('ends the span when the promise the callback returns settles', async () => {
      const channel = openChannel(Channel as never);
      let release!: () => void;
      const tag = await startConsumer(channel, 'q', () => new Promise<void>((resolve) => (release = resolve)));
      channel.emit('delivery', delivery(tag, undefined));
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      release();
      await flush();
      expect(exporter.getFinishedSpans()).toHaveLength(1);
    });

    it('lets a synchronous throw reach amqplib unchanged and records it', async () => {
      const channel = openChannel(Channel as never);
      const error = new TypeError('bad message');
      const tag = await startConsumer(channel, 'q', () => {
        throw error;
      });
      let thrown: unknown;
      try {
        channel.emit('delivery', delivery(tag, undefined));
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBe(error);
      const [process] = exporter.getFinishedSpans();
      expect(process?.status.code).toBe(SpanStatusCode.ERROR);
      expect(process?.attributes['error.type']).toBe('TypeError');
    });

    it('records redelivery and dead-lettering facts', async () => {
      const channel = openChannel(Channel as never);
      const tag = await startConsumer(channel, 'orders.dlq', () => undefined);
      const headers = {
        'x-death': [
          { count: 2, reason: 'rejected', queue: 'orders', exchange: '' },
          { count: 1, reason: 'expired', queue: 'orders.retry', exchange: '' },
        ],
        'x-first-death-queue': 'orders',
        'x-first-death-reason': 'rejected',
      };
      channel.emit('delivery', delivery(tag, headers, { exchange: 'dlx', redelivered: true }));
      expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
        'otel_mq.message.redelivered': true,
        'otel_mq.rabbitmq.death.count': 3,
        'otel_mq.rabbitmq.death.first_queue': 'orders',
        'otel_mq.rabbitmq.death.first_reason': 'rejected',
      });
    });

    it('treats hostile headers as no context and processes the message', async () => {
      const channel = openChannel(Channel as never);
      const seen: unknown[] = [];
      const tag = await startConsumer(channel, 'q', (message) => seen.push(message));
      const hostile = JSON.parse('{"__proto__": {"polluted": true}, "traceparent": "00-zz-zz-01"}') as Record<
        string,
        unknown
      >;
      channel.emit('delivery', delivery(tag, { ...hostile, tracestate: 42, 'x-death': 'nope' }));
      channel.emit('delivery', delivery(tag, { traceparent: Buffer.from([0xff, 0x00]) }));
      expect(seen).toHaveLength(2);
      for (const span of exporter.getFinishedSpans()) {
        expect(span.parentSpanContext).toBeUndefined();
        expect(span.links).toEqual([]);
      }
    });

    it('passes a broker cancel (a null delivery) through untraced', async () => {
      const channel = openChannel(Channel as never);
      const seen: unknown[] = [];
      const tag = await startConsumer(channel, 'q', (message) => seen.push(message));
      channel.emit('cancel', { consumerTag: tag });
      expect(seen).toEqual([null]);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
    });

    it('ends a process span still running when the channel closes', async () => {
      const channel = openChannel(Channel as never);
      const tag = await startConsumer(channel, 'q', () => new Promise(() => undefined));
      channel.emit('delivery', delivery(tag, undefined));
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      channel.toClosed();
      const [process] = exporter.getFinishedSpans();
      expect(process?.status.code).toBe(SpanStatusCode.ERROR);
      expect(process?.attributes['error.type']).toBe('ChannelClosedError');
    });
  });
}

describe('what amqplib gets back from a consume callback', () => {
  it('is the very value the callback returned', async () => {
    const channel = openChannel(apis.promise as never) as AnyChannel & {
      consumers: Map<string, (m: unknown) => unknown>;
    };
    const returned = Promise.resolve('done');
    const tag = await startConsumer(channel, 'q', () => returned);
    expect(channel.consumers.get(tag)?.(delivery(tag, undefined))).toBe(returned);
    await flush();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
  // That a rejected promise still surfaces as an unhandled rejection with the same
  // reason is checked in real processes by the e2e suite (jest reports those itself).
});

describe('a consumer registered before the instrumentation is disabled', () => {
  it('hands deliveries straight to its callback while disabled, and is traced again once re-enabled', () => {
    const state = { enabled: true };
    let registered: ConsumeCallback | undefined;
    // amqplib keeps the callback consume registered for as long as the consumer lives.
    const consume = patchConsume(telemetryDeps(state))(function (...args: unknown[]) {
      registered = args[1] as ConsumeCallback;
      return 'consuming';
    });
    const active: unknown[] = [];
    expect(consume.call({}, 'billing', () => active.push(trace.getActiveSpan()) && 'handled')).toBe('consuming');
    const deliver = () => registered?.(delivery('ctag-billing', { traceparent: PRODUCER_TRACEPARENT }));

    deliver();
    state.enabled = false;
    expect(deliver()).toBe('handled');
    state.enabled = true;
    deliver();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      'process orders:order.created:billing',
      'process orders:order.created:billing',
    ]);
    expect(active[1]).toBeUndefined();
  });
});
