// Module definitions, module shapes, connect, user hooks and unpatching.
import { diag, DiagLogLevel, SpanStatusCode } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { exporter, openChannel, patchAmqplib, unpatchAmqplib } from '../test/harness';
import type { AnyChannel } from '../test/harness';
import { AmqplibInstrumentation, PATCHED_FILES } from './instrumentation';
import { patchConnect } from './patches/connect';
import { channelServer, serverFromConnectUrl } from './telemetry/server';
import { SUPPORTED_VERSIONS } from './version';

const harness = patchAmqplib();
const ConfirmChannel = harness.promiseApi['ConfirmChannel'] as unknown as new (c: never) => AnyChannel;

beforeEach(() => {
  exporter.reset();
  harness.instrumentation.setConfig({});
});

describe('module definitions', () => {
  it('patches the four amqplib files for every supported version', () => {
    const [definition] = new AmqplibInstrumentation({ enabled: false }).getModuleDefinitions();
    expect(definition?.name).toBe('amqplib');
    expect(definition?.supportedVersions).toEqual(SUPPORTED_VERSIONS);
    expect(definition?.files.map((file) => file.name).sort()).toEqual(Object.values(PATCHED_FILES).sort());
    for (const file of definition?.files ?? []) expect(file.supportedVersions).toEqual(SUPPORTED_VERSIONS);
  });

  it('leaves files of an unexpected shape alone', () => {
    const [definition] = new AmqplibInstrumentation({ enabled: false }).getModuleDefinitions();
    for (const file of definition?.files ?? []) {
      for (const odd of [{}, { Channel: function Channel() {} }, undefined]) {
        expect(file.patch(odd, '2.3.1')).toBe(odd);
      }
    }
  });
});

describe('beside another instrumentation', () => {
  it('leaves a Channel class whose publish or consume another instrumentation wrapped entirely to it, with a warning', () => {
    const warnings: string[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args.join(' ')) };
    diag.setLogger({ ...logger, error() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    // The warning is given once per process: forget any earlier one.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('@org/otel-mq/coexistence-warned')];
    const [definition] = new AmqplibInstrumentation({ enabled: false }).getModuleDefinitions();
    const promiseFile = definition?.files.find((file) => file.name === PATCHED_FILES.promiseApi);
    for (const taken of ['publish', 'consume']) {
      const othersWrapper = Object.assign(function wrapped() {}, { __wrapped: true });
      class Channel {
        publish() {}
        consume() {}
        get() {}
        ack() {}
      }
      const proto = Channel.prototype as unknown as Record<string, unknown>;
      proto[taken] = othersWrapper;
      const originals = {
        ...Object.fromEntries(['publish', 'consume', 'get', 'ack'].map((name) => [name, proto[name]])),
      };
      promiseFile?.patch({ Channel }, '2.3.1');
      for (const name of ['publish', 'consume', 'get', 'ack']) {
        expect(
          `${taken}: ${name} ${isWrapped(proto[name]) && proto[name] !== originals[name] ? 'wrapped by us' : 'left'}`,
        ).toBe(`${taken}: ${name} left`);
      }
    }
    expect(warnings.join('\n')).toMatch(/leaves amqplib's promise API, which the other one already wrapped/);
    diag.disable();
  });
});

describe('connect', () => {
  it('keeps host and port of the URL, never credentials', () => {
    expect(serverFromConnectUrl('amqp://user:s3cret@rabbit.example:5673/vhost')).toEqual({
      address: 'rabbit.example',
      port: 5673,
    });
    expect(serverFromConnectUrl('amqps://user:s3cret@rabbit.example')).toEqual({
      address: 'rabbit.example',
      port: 5671,
    });
    expect(serverFromConnectUrl({ hostname: 'h', username: 'u', password: 'p' })).toEqual({ address: 'h', port: 5672 });
    expect(serverFromConnectUrl('not a url')).toBeUndefined();
  });

  it('remembers the broker of each connection the wrapped connect opens', () => {
    const connection = {};
    const results: unknown[][] = [];
    // The real connect opens a socket: the wrapper is applied to a stand-in here.
    const fakeConnect = (_url: unknown, _options: unknown, callback: (error: unknown, value?: unknown) => void) =>
      callback(null, connection);
    const connect = patchConnect({ diag } as never)(fakeConnect as never);
    connect('amqp://guest:guest@broker:5999', {}, (...args: unknown[]) => results.push(args));
    expect(results).toEqual([[null, connection]]);
    expect(channelServer({ connection })).toEqual({ address: 'broker', port: 5999 });
  });
});

describe('hooks', () => {
  it('calls the publish and confirm hooks, and survives hooks that throw', () => {
    const seen: string[] = [];
    harness.instrumentation.setConfig({
      publishHook: (span, info) => {
        seen.push(`publish ${info.exchange} ${info.routingKey} confirm=${info.confirm}`);
        span.setAttribute('app.tenant', 't-1');
        throw new Error('hook bug');
      },
      publishConfirmHook: (_span, info) => {
        seen.push(`confirm ${info.confirmed}`);
      },
    });
    const channel = openChannel(ConfirmChannel as never);
    channel['publish']!('orders', 'k', Buffer.from('x'), {}, () => undefined);
    channel.emit('nack', { deliveryTag: 1, multiple: false });
    // Without a callback the span ends when publish returns: no confirm to report.
    channel['publish']!('orders', 'nocb', Buffer.from('x'), {});
    expect(seen).toEqual(['publish orders k confirm=true', 'confirm false', 'publish orders nocb confirm=false']);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['app.tenant']).toBe('t-1');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('unpatching', () => {
  it('restores every method it wrapped', () => {
    const channelProto = harness.promiseApi['Channel']!.prototype as unknown as Record<string, unknown>;
    const confirmProto = harness.promiseApi['ConfirmChannel']!.prototype as unknown as Record<string, unknown>;
    expect(isWrapped(channelProto['publish'])).toBe(true);
    unpatchAmqplib(harness);
    for (const name of ['publish', 'consume', 'get', 'ack', 'nack', 'reject', 'ackAll', 'nackAll']) {
      expect(isWrapped(channelProto[name])).toBe(false);
    }
    expect(isWrapped(confirmProto['publish'])).toBe(false);
    expect(isWrapped(harness.connectFile['connect'])).toBe(false);
    expect(isWrapped(harness.channelFile['Channel']?.prototype['toClosed'])).toBe(false);
  });
});
