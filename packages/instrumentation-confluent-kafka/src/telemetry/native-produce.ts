// Native `Producer#produce` (and `HighLevelProducer#produce`, which calls it):
// one `send {topic}` span per message, its context injected into a copy of the
// message's header list. The span ends at the message's delivery report when the
// producer has delivery reports on (`dr_cb` / `dr_msg_cb`; always for the
// HighLevelProducer), with the report's error, partition and offset; at the
// produce call otherwise.
import { context } from '@opentelemetry/api';
import { injectIntoHeaderListCopy } from '@org/messaging-propagation';
import { failedWith, finishKafkaSendSpan, startKafkaSendSpan, SUCCEEDED } from '@org/messaging-propagation/internal';
import type { KafkaSendOperation, KafkaTelemetry } from '@org/messaging-propagation/internal';
import { nativeClientFacts } from './native-client';

/**
 * The opaque handed to librdkafka in place of the caller's, for the report to
 * find its span; the caller's own opaque is put back on the report before any
 * listener sees it.
 */
interface DeliveryToken {
  operation: KafkaSendOperation;
  opaque: unknown;
}
const tokens = new WeakMap<object, DeliveryToken>();

export interface ProduceArguments {
  topic: unknown;
  partition: unknown;
  value: unknown;
  key: unknown;
  opaque: unknown;
  headers: unknown;
}

/** Whether the producer emits delivery reports (1.x: lib/producer.js sets `_cb_configs.event.delivery_cb`). */
function reportsDelivery(producer: object): boolean {
  const configs = (producer as { _cb_configs?: { event?: { delivery_cb?: unknown } } })._cb_configs;
  return typeof configs?.event?.delivery_cb === 'function';
}

/**
 * Traces one produce call: `call` gets the opaque and headers to hand librdkafka
 * and makes the real call, whose result or error is passed on unchanged.
 */
export function traceNativeProduce<T>(
  deps: KafkaTelemetry,
  producer: object,
  args: ProduceArguments,
  call: (opaque: unknown, headers: unknown) => T,
): T {
  let operation: KafkaSendOperation;
  let opaque = args.opaque;
  let headers = args.headers;
  let token: DeliveryToken | undefined;
  try {
    if (typeof args.topic !== 'string') return call(opaque, headers);
    const partition = typeof args.partition === 'number' && args.partition >= 0 ? args.partition : undefined;
    // A report that never comes (the producer is never polled or flushed): the span is ended at exit.
    const awaitsReport = reportsDelivery(producer);
    const message = { key: args.key as never, value: args.value as never, partition };
    operation = startKafkaSendSpan(
      deps,
      nativeClientFacts(producer),
      context.active(),
      args.topic,
      message,
      awaitsReport,
    );
    headers = injectIntoHeaderListCopy(operation.context, args.headers);
    if (awaitsReport) {
      const created: DeliveryToken = { operation, opaque: args.opaque };
      token = created;
      opaque = {};
      tokens.set(opaque as object, created);
    }
  } catch (error) {
    deps.diag.error('otel-mq: confluent-kafka produce instrumentation failed; producing uninstrumented', error);
    return call(args.opaque, args.headers);
  }
  let result: T;
  try {
    result = call(opaque, headers);
  } catch (error) {
    finishKafkaSendSpan(deps, operation, failedWith(error));
    throw error;
  }
  if (!token) finishKafkaSendSpan(deps, operation, SUCCEEDED);
  return result;
}

interface DeliveryReport {
  topic?: unknown;
  partition?: unknown;
  offset?: unknown;
  opaque?: unknown;
}

/**
 * At a `delivery-report` event: ends the span of the reported message, and
 * gives the report back the caller's own opaque. Never throws.
 */
export function settleDeliveryReport(deps: KafkaTelemetry, error: unknown, report: unknown): void {
  try {
    const opaque = (report as DeliveryReport | undefined)?.opaque;
    if (!opaque || typeof opaque !== 'object') return;
    const token = tokens.get(opaque);
    if (!token) return;
    tokens.delete(opaque);
    const delivered = report as DeliveryReport;
    delivered.opaque = token.opaque;
    if (error) {
      finishKafkaSendSpan(deps, token.operation, failedWith(error));
      return;
    }
    finishKafkaSendSpan(deps, token.operation, SUCCEEDED, [
      {
        topicName: String(delivered.topic),
        partition: Number(delivered.partition),
        baseOffset:
          typeof delivered.offset === 'number' || typeof delivered.offset === 'string'
            ? String(delivered.offset)
            : undefined,
      },
    ]);
  } catch (telemetryError) {
    deps.diag.error('otel-mq: confluent-kafka delivery report telemetry failed', telemetryError);
  }
}
