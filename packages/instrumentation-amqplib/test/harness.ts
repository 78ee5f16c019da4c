// Unit-test harness: amqplib's REAL channel classes (the devDependency), patched
// by hand through getModuleDefinitions() (jest's module registry bypasses
// require-in-the-middle), over a fake connection that records what would go on
// the wire. Broker answers are fed to the channel as amqplib's frame handler would.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { context, diag, metrics, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { getMessagingMetrics, withConfigDefaults } from '@org/messaging-propagation/internal';
import { AmqplibInstrumentation } from '../src/instrumentation';
import { activateProcessMessageDeps } from '../src/process-message';
import { AMQPLIB_CONFIG_DEFAULTS } from '../src/telemetry/deps';
import type { AmqpTelemetryDeps } from '../src/telemetry/deps';
import type { AmqplibInstrumentationConfig } from '../src/types';

// amqplib 2 exports only its entry points: load its files by path, as amqplib itself does.
const nodeRequire = createRequire(__filename);
const AMQPLIB_DIR = dirname(nodeRequire.resolve('amqplib'));
const load = (file: string) => nodeRequire(join(AMQPLIB_DIR, file)) as Record<string, unknown>;

export const defs = load('lib/defs.js') as Record<string, number>;

export interface WireFrame {
  method?: number;
  fields: Record<string, unknown>;
  properties?: Record<string, unknown>;
  content?: Buffer;
}

/** The parts of amqplib's connection a channel uses, recording every frame. */
export class FakeConnection {
  readonly sent: WireFrame[] = [];
  sendMethod(_channel: number, method: number, fields: Record<string, unknown>): boolean {
    this.sent.push({ method, fields });
    return true;
  }
  sendMessage(
    _c: number,
    _m: number,
    fields: Record<string, unknown>,
    _p: number,
    props: Record<string, unknown>,
    content: Buffer,
  ) {
    this.sent.push({ fields, properties: props, content });
    return true;
  }
  freshChannel(): number {
    return 1;
  }
  releaseChannel(): void {}
}

export type AnyChannel = Record<string, (...args: unknown[]) => unknown> & {
  connection: FakeConnection;
  emit(event: string, ...args: unknown[]): boolean;
  accept(frame: { id?: number; fields?: unknown; size?: number; content?: Buffer }): void;
  toClosed(stack?: unknown): void;
};

export const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
/** The application's own tracer in tests. */
export const appTracer = provider.getTracer('app');

/**
 * Patched by hand (see patchAmqplib), never through enable(), so the base class
 * would count it disabled: it reports itself enabled while the harness has
 * amqplib patched, as enable() would leave it.
 */
export class HandPatchedInstrumentation extends AmqplibInstrumentation {
  patchedByHand = false;
  override isEnabled(): boolean {
    return this.patchedByHand;
  }
}

export interface Harness {
  instrumentation: HandPatchedInstrumentation;
  promiseApi: Record<string, new (connection: FakeConnection) => AnyChannel>;
  callbackApi: Record<string, new (connection: FakeConnection) => AnyChannel>;
  channelFile: Record<string, { prototype: Record<string, unknown> }>;
  connectFile: Record<string, unknown>;
}

let contextReady = false;

/** Patches amqplib's files with a fresh instrumentation; call once per test file. */
export function patchAmqplib(config: AmqplibInstrumentationConfig = {}): Harness {
  if (!contextReady) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
    contextReady = true;
  }
  const instrumentation = new HandPatchedInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(provider);
  const harness = {
    instrumentation,
    connectFile: load('lib/connect.js'),
    channelFile: load('lib/channel.js'),
    promiseApi: load('lib/channel_model.js'),
    callbackApi: load('lib/callback_model.js'),
  } as unknown as Harness;
  const byName: Record<string, unknown> = {
    'amqplib/lib/connect.js': harness.connectFile,
    'amqplib/lib/channel.js': harness.channelFile,
    'amqplib/lib/channel_model.js': harness.promiseApi,
    'amqplib/lib/callback_model.js': harness.callbackApi,
  };
  for (const definition of instrumentation.getModuleDefinitions()) {
    for (const file of definition.files) file.patch(byName[file.name], '2.3.1');
  }
  instrumentation.patchedByHand = true;
  // What enable() would do besides patching: make it the instrumentation processMessage uses.
  activateProcessMessageDeps((instrumentation as unknown as { deps: AmqpTelemetryDeps }).deps);
  return harness;
}

/** Undoes patchAmqplib, so the next test file starts from amqplib as it ships. */
export function unpatchAmqplib(harness: Harness): void {
  const byName: Record<string, unknown> = {
    'amqplib/lib/connect.js': harness.connectFile,
    'amqplib/lib/channel.js': harness.channelFile,
    'amqplib/lib/channel_model.js': harness.promiseApi,
    'amqplib/lib/callback_model.js': harness.callbackApi,
  };
  for (const definition of harness.instrumentation.getModuleDefinitions()) {
    for (const file of definition.files) file.unpatch?.(byName[file.name], '2.3.1');
  }
  harness.instrumentation.patchedByHand = false;
}

/**
 * What a patch needs from the instrumentation, for testing it on its own: spans
 * go to `exporter`; `state.enabled` answers `enabled()` each time it is asked.
 */
export function telemetryDeps(
  state: { enabled: boolean },
  config: AmqplibInstrumentationConfig = {},
): AmqpTelemetryDeps {
  return {
    tracer: () => provider.getTracer('@org/instrumentation-amqplib'),
    metrics: () => getMessagingMetrics(metrics.getMeter('@org/instrumentation-amqplib')),
    config: () => withConfigDefaults(AMQPLIB_CONFIG_DEFAULTS, config),
    enabled: () => state.enabled,
    diag,
  };
}

/** An open channel of `Class` on a fake connection (the open handshake is skipped). */
export function openChannel(Class: new (connection: FakeConnection) => AnyChannel): AnyChannel {
  const channel = new Class(new FakeConnection());
  channel['allocate']!();
  return channel;
}

export const PRODUCER_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Registers a consumer on a promise- or callback-API channel and completes the broker handshake. */
export async function startConsumer(
  channel: AnyChannel,
  queue: string,
  callback: (message: unknown) => unknown,
  options?: Record<string, unknown>,
): Promise<string> {
  const consumerTag = `ctag-${queue}`;
  const answered = channel['consume']!(queue, callback, options);
  channel.accept({ id: defs['BasicConsumeOk'], fields: { consumerTag } });
  // The promise API answers with a promise, the callback API with the channel.
  if (answered instanceof Promise) await answered;
  return consumerTag;
}

let nextDeliveryTag = 1;

/** A delivery as amqplib's frame parser builds it. */
export function delivery(
  consumerTag: string,
  headers: Record<string, unknown> | undefined,
  extra: { exchange?: string; routingKey?: string; redelivered?: boolean; properties?: Record<string, unknown> } = {},
) {
  return {
    fields: {
      consumerTag,
      deliveryTag: nextDeliveryTag++,
      redelivered: extra.redelivered ?? false,
      exchange: extra.exchange ?? 'orders',
      routingKey: extra.routingKey ?? 'order.created',
    },
    properties: { headers, messageId: 'm-1', correlationId: 'c-1', ...extra.properties },
    content: Buffer.from('body'),
  };
}

/** Lets promise callbacks run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
