// The README's tables against the code: options against types.ts, span kinds
// against MessagingOperations, attributes against what the plugin actually sets
// when it runs (amqplib's real channel classes over a fake connection), metrics
// against messaging-propagation's instruments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import {
  MessagingOperations,
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
} from '@org/messaging-propagation';
import { defs, delivery, exporter, openChannel, patchAmqplib, startConsumer } from '../test/harness';
import type { AnyChannel } from '../test/harness';
import { processMessage } from './process-message';
import { rememberServer } from './telemetry/server';
import { SUPPORTED_VERSIONS } from './version';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const flat = readme.replace(/\s+/g, ' ');

function tableRows(heading: string): string[][] {
  const section = readme.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .slice(1, -1),
    );
}

const unquote = (cell: string | undefined) => (cell ?? '').replace(/^`|`$/g, '');

describe('README', () => {
  it('states the supported versions', () => {
    expect(flat).toContain(`amqplib \`${SUPPORTED_VERSIONS.join(' || ')}\` (\`SUPPORTED_VERSIONS\`)`);
  });

  it('documents every config option with its @default, and nothing else', () => {
    const source = readFileSync(join(__dirname, 'types.ts'), 'utf8');
    const body = source.split('export interface AmqplibInstrumentationConfig')[1] ?? '';
    const options = new Map<string, string>([['enabled', '`true`']]);
    for (const match of body.matchAll(/(?:@default ([^\n]+)\n[^]*?)?\n {2}(\w+)\?:/g)) {
      options.set(match[2] as string, match[1] ? `\`${match[1].trim()}\`` : '–');
    }
    const rows = tableRows('Options');
    expect(rows.map(([name]) => unquote(name)).sort()).toEqual([...options.keys()].sort());
    for (const [name, , fallback] of rows)
      expect([unquote(name), fallback]).toEqual([unquote(name), options.get(unquote(name))]);
  });

  it('gives each operation the span kind it has', () => {
    const kinds: Record<string, string> = {};
    for (const [operations, , kind] of tableRows('Spans')) {
      for (const operation of (operations ?? '').matchAll(/`(\w+)`/g)) kinds[operation[1] as string] = kind as string;
    }
    const rabbit = MessagingOperations.rabbitmq;
    const expected: Record<string, SpanKind> = {
      publish: rabbit.publish.spanKind,
      sendToQueue: rabbit.publish.spanKind,
      consume: rabbit.process.spanKind,
      processMessage: rabbit.process.spanKind,
      get: rabbit.receive.spanKind,
      ack: rabbit.ack.spanKind,
      ackAll: rabbit.ack.spanKind,
      nack: rabbit.nack.spanKind,
      nackAll: rabbit.nack.spanKind,
      reject: rabbit.reject.spanKind,
    };
    expect(kinds).toEqual(Object.fromEntries(Object.entries(expected).map(([op, kind]) => [op, SpanKind[kind]])));
  });

  it('lists exactly the metric instruments with their units', () => {
    const rows = tableRows('Metrics').map(([name, unit]) => [unquote(name), unquote(unit)]);
    expect(rows.sort()).toEqual(
      [
        [METRIC_MESSAGING_CLIENT_OPERATION_DURATION, 's'],
        [METRIC_MESSAGING_CLIENT_SENT_MESSAGES, '{message}'],
        [METRIC_MESSAGING_PROCESS_DURATION, 's'],
        [METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES, '{message}'],
      ].sort(),
    );
  });

  it('lists exactly the attributes the plugin sets', async () => {
    const harness = patchAmqplib({ captureBodySize: true, recordSettleSpans: true });
    const Channel = harness.promiseApi['Channel'] as unknown as new (c: never) => AnyChannel;
    exporter.reset();
    const channel = openChannel(Channel as never);
    rememberServer(channel.connection, { address: 'rabbit', port: 5672 });
    channel['publish']!('orders', 'k', Buffer.from('x'), { messageId: 'm', correlationId: 'c' });
    const seen: unknown[] = [];
    const tag = await startConsumer(channel, 'amq.gen-1', (message) => {
      seen.push(message);
      throw new Error('handler failed');
    });
    const headers = {
      'x-death': [{ count: 1 }],
      'x-first-death-queue': 'q',
      'x-first-death-reason': 'rejected',
      'x-delivery-count': 1,
    };
    try {
      channel.emit('delivery', delivery(tag, headers, { properties: { timestamp: Math.floor(Date.now() / 1000) } }));
    } catch {
      // amqplib closes the channel on a throwing consumer; here nothing does.
    }
    channel['nack']!(seen[0], true, false);
    const pending = channel['get']!('jobs') as Promise<unknown>;
    channel.accept({ id: defs['BasicGetOk'], fields: { deliveryTag: 9, exchange: '', routingKey: 'jobs' } });
    channel.accept({ id: defs['BasicProperties'], fields: { headers: {} }, size: 1 });
    channel.accept({ content: Buffer.from('j') });
    processMessage(await pending, () => undefined);

    const set = new Set(exporter.getFinishedSpans().flatMap((span) => Object.keys(span.attributes)));
    expect(
      tableRows('Attributes')
        .map(([name]) => unquote(name))
        .sort(),
    ).toEqual([...set].sort());
  });
});
