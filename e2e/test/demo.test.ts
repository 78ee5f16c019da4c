// The README's demo, run as a newcomer runs it (its own brokers, four services
// with the register entry): it must exit 0 and print, for every order, one
// connected trace across Kafka (kafkajs → Confluent's client) → RabbitMQ → SNS → SQS,
// with the failing order's trace reaching the dead-letter handler.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { KAFKA_PROCESS_SCOPE, KAFKA_SEND_SCOPE } from '../../demo/src/check.ts';
import { FAILING_ORDER, ORDERS } from '../../demo/src/orders.ts';
import { ordersReport } from '../../demo/src/orders-report.ts';
import { readSpansFile } from '../../demo/src/spans-file.ts';
import { inspectTracesPage } from '../src/browser/traces-page.ts';
import { expectReadableTracesPage } from '../src/browser/traces-page-assertions.ts';

interface DemoSummary {
  ok: boolean;
  orders: Array<{
    id: string;
    traceId: string | undefined;
    services: string[];
    spans: Array<{
      name: string;
      kind: string;
      service: string;
      system: string | undefined;
      scope: string;
      error: boolean;
    }>;
    processAttempts: number;
    deadLettered: boolean;
    problems: string[];
  }>;
}

const ROOT = join(import.meta.dirname, '..', '..');

it('the demo draws one connected trace per order through Kafka, RabbitMQ and SNS → SQS, and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otel-mq-demo-'));
  const [json, html, spans] = [join(dir, 'summary.json'), join(dir, 'traces.html'), join(dir, 'spans.json')];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const child = spawn(process.execPath, ['demo/src/run-demo.ts', '--json', json, '--html', html, '--spans', spans], {
    cwd: ROOT,
    env,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, output);

  const summary = JSON.parse(readFileSync(json, 'utf8')) as DemoSummary;
  assert.equal(summary.ok, true, output);
  assert.deepEqual(
    summary.orders.map((order) => order.id),
    ['ord-1001', 'ord-1002', 'ord-1003'],
  );
  const traceIds = new Set(summary.orders.map((order) => order.traceId));
  assert.equal(traceIds.size, 3, 'one trace per order');
  for (const order of summary.orders) {
    assert.deepEqual(order.problems, [], `${order.id}\n${output}`);
    assert.deepEqual(order.services, ['order-api', 'inventory-service', 'fulfilment-service', 'shipping-worker']);
    // Kafka and RabbitMQ hops, then SNS publishing that fans out to the SQS queue.
    for (const [system, kind] of [
      ['kafka', 'PRODUCER'],
      ['kafka', 'CONSUMER'],
      ['rabbitmq', 'PRODUCER'],
      ['rabbitmq', 'CONSUMER'],
      ['aws.sns', 'PRODUCER'],
      ['aws.sqs', 'CONSUMER'],
    ])
      assert.ok(
        order.spans.some((span) => span.system === system && span.kind === kind),
        `${order.id}: a ${system} ${kind} span`,
      );
    const kafkaSpan = (kind: string) => order.spans.find((span) => span.system === 'kafka' && span.kind === kind);
    assert.equal(kafkaSpan('PRODUCER')?.scope, KAFKA_SEND_SCOPE, `${order.id}: order-api sends with kafkajs`);
    assert.equal(kafkaSpan('CONSUMER')?.scope, KAFKA_PROCESS_SCOPE, `${order.id}: inventory-service uses Confluent`);
  }
  const failing = summary.orders.find((order) => order.id === 'ord-1003');
  assert.ok(failing && failing.processAttempts >= 2 && failing.deadLettered, output);
  assert.ok(failing.spans.filter((span) => span.error).length >= 2, 'the failed attempts are error spans');

  // What a person reads: the waterfall with queue waits and the check marks, and the HTML copy.
  assert.match(output, /order ord-1001 \(alice\)\s+trace [0-9a-f]{32}/);
  assert.match(output, /⏳ waited .* in the queue/);
  assert.match(output, /✖ Error/);
  assert.equal(output.match(/^✔ order/gm)?.length, 3, output);
  assert.match(readFileSync(html, 'utf8'), /<div class="name"[^>]*>process fulfilment-jobs-dlq</);

  // Straight from the received spans, not through the demo's own check: each order's
  // Confluent process span is a child of its kafkajs send span, in the same trace.
  const received = readSpansFile(spans);
  for (const order of ORDERS) {
    const kafka = (scope: string, kind: string) =>
      received.filter(
        (span) =>
          span.scope.name === scope &&
          span.kind === kind &&
          span.attributes['messaging.destination.name'] === 'orders' &&
          span.attributes['kafka.message.key'] === order.customer,
      );
    const [send, ...moreSends] = kafka(KAFKA_SEND_SCOPE, 'PRODUCER');
    const processes = kafka(KAFKA_PROCESS_SCOPE, 'CONSUMER');
    assert.ok(send && moreSends.length === 0, `${order.id}: one kafkajs send span`);
    assert.ok(processes.length > 0, `${order.id}: a Confluent process span`);
    for (const processSpan of processes) {
      assert.equal(processSpan.resource['service.name'], 'inventory-service');
      assert.equal(processSpan.traceId, send.traceId, `${order.id}: the Confluent process span is in the send's trace`);
      assert.equal(
        processSpan.parentSpanId,
        send.spanId,
        `${order.id}: the Confluent process span is the send's child`,
      );
    }
  }

  // The page as a browser lays it out, at 1400 px (screenshot in demo/out/).
  const { drawn } = ordersReport(received, ORDERS, FAILING_ORDER);
  const out = join(ROOT, 'demo', 'out');
  mkdirSync(out, { recursive: true });
  const screenshot = join(out, 'page-test-demo.png');
  expectReadableTracesPage(
    await inspectTracesPage(html, screenshot, 1400),
    drawn.map(({ trace }) => trace),
    screenshot,
  );
});
