// `npm run demo`: starts local Kafka, RabbitMQ and SNS/SQS brokers, runs the order
// pipeline (four services, each `node --require @org/otel-mq/register`, no
// tracing code), receives their spans over OTLP, draws each order's trace in
// the terminal and as HTML, checks the traces are connected, and stops the brokers.
//
// Options: --html <file> (default demo/out/traces.html), --json <file> (a summary
// for tests), --spans <file> (every received span, to draw again without brokers). With OTEL_EXPORTER_OTLP_ENDPOINT set, every span is also forwarded
// there (your Jaeger, Tempo or Collector).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKafka } from '../../e2e/src/brokers/kafka.ts';
import { startRabbitMq } from '../../e2e/src/brokers/rabbitmq.ts';
import { startSqs } from '../../e2e/src/brokers/sqs.ts';
import { startOtlpReceiver } from '../../e2e/src/otlp/receiver.ts';
import { createAwsResources } from './aws-resources.ts';
import { runServices } from './services.ts';
import { FAILING_ORDER, ORDERS } from './orders.ts';
import { ordersReport } from './orders-report.ts';
import { writeSpansFile } from './spans-file.ts';
import { renderTracesHtml } from './waterfall-html.ts';
import { renderTraceText } from './waterfall-text.ts';

const DEMO_DIR = join(import.meta.dirname, '..');

const log = (message: string) => process.stderr.write(`[demo] ${message}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      html: { type: 'string', default: join(DEMO_DIR, 'out', 'traces.html') },
      json: { type: 'string' },
      spans: { type: 'string' },
    },
  });
  const forwardTo = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  log('starting Kafka, RabbitMQ and SNS/SQS (fauxqs) on loopback…');
  const started = await Promise.allSettled([
    startKafka({ topics: [{ name: 'orders', partitions: 3 }] }),
    startRabbitMq(),
    // fauxqs emulates SNS as well as SQS, with topics fanning out to SQS subscriptions.
    startSqs('fauxqs'),
  ]);
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const receiver = await startOtlpReceiver({ forwardTo });
  try {
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw new Error(`a broker could not start: ${String(failed.reason)}`);
    const [kafka, rabbit, aws] = running as [
      Awaited<ReturnType<typeof startKafka>>,
      Awaited<ReturnType<typeof startRabbitMq>>,
      Awaited<ReturnType<typeof startSqs>>,
    ];
    const { shippingTopicArn } = await createAwsResources(aws.endpoint, aws.region);
    log(`running the order pipeline${forwardTo ? `, forwarding spans to ${forwardTo}` : ''}…\n`);
    await runServices({
      cwd: DEMO_DIR,
      receiverEndpoint: receiver.endpoint,
      env: {
        DEMO_KAFKA_BROKERS: kafka.brokers.join(','),
        DEMO_RABBITMQ_URL: rabbit.url,
        DEMO_AWS_ENDPOINT: aws.endpoint,
        DEMO_SHIPPING_TOPIC_ARN: shippingTopicArn,
        DEMO_ORDERS: JSON.stringify(ORDERS),
        DEMO_FAILING_ORDER: FAILING_ORDER,
      },
    });

    const spans = receiver.spans();
    if (values.spans) writeSpansFile(values.spans, spans);
    const { traces, check, drawn, spanLabels } = ordersReport(spans, ORDERS, FAILING_ORDER);
    process.stdout.write('\n');
    for (const { title, trace } of drawn) process.stdout.write(`${renderTraceText(trace, title, spanLabels)}\n\n`);
    const others = traces.length - drawn.length;
    if (others > 0)
      process.stdout.write(`(${others} more traces not drawn: SQS polls and other work outside an order)\n\n`);
    for (const line of check.lines) process.stdout.write(`${line}\n`);

    const htmlFile = resolve(values.html);
    mkdirSync(dirname(htmlFile), { recursive: true });
    writeFileSync(htmlFile, renderTracesHtml(drawn, spanLabels));
    process.stdout.write(`\nThe same waterfall for a browser: ${htmlFile}\n`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ ok: check.ok, orders: check.summary }, null, 2));
    for (const error of receiver.errors()) log(`receiver: ${error}`);
    return check.ok ? 0 : 1;
  } finally {
    await receiver.close();
    await Promise.allSettled(running.map((broker) => broker.stop()));
    log('brokers stopped');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
