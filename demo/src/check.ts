// What the demo promises, checked on the received traces: each order is one
// connected trace across all four services and the brokers (Kafka from kafkajs
// to Confluent's client, RabbitMQ, SNS → SQS), and the failing order's trace
// reaches the dead-letter handler.
import type { ReceivedSpan } from '../../e2e/src/otlp/receiver.ts';
import type { DemoOrder } from './services.ts';
import type { DrawnTrace } from './traces.ts';

export const SERVICES = ['order-api', 'inventory-service', 'fulfilment-service', 'shipping-worker'];

/**
 * The instrumentation scopes of the Kafka hop's two ends: the order API produces with kafkajs,
 * the inventory service consumes with Confluent's client (@confluentinc/kafka-javascript).
 */
export const KAFKA_SEND_SCOPE = '@org/instrumentation-kafkajs';
export const KAFKA_PROCESS_SCOPE = '@org/instrumentation-confluent-kafka';

export interface OrderCheck extends DemoOrder {
  trace: DrawnTrace | undefined;
  problems: string[];
}

export interface OrderSummary {
  id: string;
  traceId: string | undefined;
  services: string[];
  spans: Array<{
    name: string;
    kind: string;
    service: string;
    system: string | undefined;
    /** The instrumentation scope that made the span (which plugin, so which client). */
    scope: string;
    error: boolean;
  }>;
  processAttempts: number;
  deadLettered: boolean;
  problems: string[];
}

const system = (span: ReceivedSpan) => span.attributes['messaging.system.name'] as string | undefined;
const destination = (span: ReceivedSpan) => span.attributes['messaging.destination.name'] as string | undefined;

function checkOrder(order: DemoOrder, trace: DrawnTrace | undefined, failing: boolean): OrderCheck {
  const problems: string[] = [];
  if (!trace) return { ...order, trace, problems: ['no trace starts with its Kafka send'] };
  const spans = trace.rows.map((row) => row.span);
  const service = (span: ReceivedSpan) => trace.rows.find((row) => row.span === span)?.service;
  const isChild = (child: ReceivedSpan, parent: ReceivedSpan | undefined) => child.parentSpanId === parent?.spanId;
  interface End {
    service: string;
    system: string;
    destination?: string;
    /** The instrumentation scope the span must come from (which client's plugin made it). */
    scope?: string;
  }
  const matches = (span: ReceivedSpan, kind: string, end: End) =>
    span.kind === kind &&
    system(span) === end.system &&
    service(span) === end.service &&
    (end.destination === undefined || destination(span) === end.destination) &&
    (end.scope === undefined || span.scope.name === end.scope);
  const describe = (end: End, kind: string) =>
    `no ${end.system} ${kind} span${end.scope ? ` from ${end.scope}` : ''} in ${end.service}`;
  const hop = (name: string, from: End, to: End) => {
    const producer = spans.find((s) => matches(s, 'PRODUCER', from));
    const consumers = spans.filter((s) => matches(s, 'CONSUMER', to));
    if (!producer) problems.push(`${name}: ${describe(from, 'producer')}`);
    else if (consumers.length === 0) problems.push(`${name}: ${describe(to, 'consumer')}`);
    else if (!consumers.every((consumer) => isChild(consumer, producer)))
      problems.push(`${name}: a ${to.service} consumer span is not a child of ${from.service}'s producer span`);
    return consumers;
  };
  // kafkajs → Confluent's client: the inventory service's process span is a child of the order API's send span.
  hop(
    'Kafka',
    { service: 'order-api', system: 'kafka', destination: 'orders', scope: KAFKA_SEND_SCOPE },
    { service: 'inventory-service', system: 'kafka', destination: 'orders', scope: KAFKA_PROCESS_SCOPE },
  );
  hop(
    'RabbitMQ',
    { service: 'inventory-service', system: 'rabbitmq' },
    { service: 'fulfilment-service', system: 'rabbitmq' },
  );
  // SNS fans out to SQS: the shipping worker's SQS process spans are children of the SNS publish span.
  const jobs = hop(
    'SNS → SQS',
    { service: 'fulfilment-service', system: 'aws.sns', destination: 'ready-to-ship' },
    { service: 'shipping-worker', system: 'aws.sqs', destination: 'fulfilment-jobs' },
  );
  for (const expected of SERVICES)
    if (!trace.services.includes(expected)) problems.push(`the trace never reaches ${expected}`);
  const failedAttempts = jobs.filter((span) => span.status.code === 'ERROR').length;
  const deadLetter = spans.find((s) => s.kind === 'CONSUMER' && destination(s) === 'fulfilment-jobs-dlq');
  if (failing) {
    if (failedAttempts < 2) problems.push(`expected at least 2 failed shipping attempts, saw ${failedAttempts}`);
    if (!deadLetter) problems.push('the dead-letter handler is not in the order trace');
  } else if (spans.some((span) => span.status.code === 'ERROR')) {
    problems.push('has an error span');
  }
  return { ...order, trace, problems };
}

export function checkPipeline(traces: DrawnTrace[], orders: DemoOrder[], failingOrderId: string) {
  const traceOf = (order: DemoOrder) =>
    traces.find((trace) =>
      trace.rows.some(
        ({ span }) =>
          span.kind === 'PRODUCER' &&
          destination(span) === 'orders' &&
          span.attributes['kafka.message.key'] === order.customer,
      ),
    );
  const checked = orders.map((order) => checkOrder(order, traceOf(order), order.id === failingOrderId));
  const lines = checked.map((order) => {
    if (order.problems.length > 0) return `✖ order ${order.id}: ${order.problems.join('; ')}`;
    const hops = `${order.trace?.services.join(' → ')} (${order.trace?.rows.length} spans)`;
    return order.id === failingOrderId
      ? `✔ order ${order.id}: one trace ${hops}; shipping failed, SQS redrove it to the dead-letter queue, and its handler is in the same trace`
      : `✔ order ${order.id}: one trace ${hops}`;
  });
  const summary: OrderSummary[] = checked.map((order) => {
    const spans = order.trace?.rows ?? [];
    return {
      id: order.id,
      traceId: order.trace?.traceId,
      services: order.trace?.services ?? [],
      spans: spans.map(({ span, service }) => ({
        name: span.name,
        kind: span.kind,
        service,
        system: system(span),
        scope: span.scope.name,
        error: span.status.code === 'ERROR',
      })),
      processAttempts: spans.filter(({ span }) => span.kind === 'CONSUMER' && destination(span) === 'fulfilment-jobs')
        .length,
      deadLettered: spans.some(({ span }) => destination(span) === 'fulfilment-jobs-dlq'),
      problems: order.problems,
    };
  });
  return { ok: checked.every((order) => order.problems.length === 0), lines, orders: checked, summary };
}
