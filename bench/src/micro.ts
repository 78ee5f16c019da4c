// Micro-benchmarks of each carrier's inject and extract, through the global
// W3C trace-context + baggage propagator, ours against the upstream
// equivalent. Upstream's kafkajs getter (`bufferTextMapGetter`) and aws-sdk
// SQS getter/setter are internal to those packages (not in their `exports`),
// so their baseline is `propagation.inject/extract` with the API's default
// getter/setter on a plain object of strings: the cheapest possible path and
// the very one upstream amqplib takes. Prints JSON to the file in argv[2].
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as MessagingPropagation from '@org/messaging-propagation';
import { nsPerCall } from './ns-per-call.ts';

const require = createRequire(import.meta.url);
const mp = require('@org/messaging-propagation') as typeof MessagingPropagation;

export interface MicroResult {
  carrier: string;
  operation: 'inject' | 'extract';
  /** ns per operation, median of repeats */
  ours: number;
  upstream: number;
  upstreamKind: 'upstream code path' | 'plain-object baseline';
}

const TRACEPARENT = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';
const active: Context = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  traceFlags: TraceFlags.SAMPLED,
});

export function runMicro(iterations: number, repeats: number): MicroResult[] {
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const results: MicroResult[] = [];
  const add = (
    carrier: string,
    operation: 'inject' | 'extract',
    ours: () => unknown,
    upstream: () => unknown,
    upstreamKind: MicroResult['upstreamKind'],
  ): void => {
    // Alternate ours/upstream twice so neither always runs on a colder or hotter machine.
    const first = [nsPerCall(ours, iterations, repeats), nsPerCall(upstream, iterations, repeats)];
    const second = [nsPerCall(ours, iterations, repeats), nsPerCall(upstream, iterations, repeats)];
    results.push({
      carrier,
      operation,
      ours: Math.min(first[0] as number, second[0] as number),
      upstream: Math.min(first[1] as number, second[1] as number),
      upstreamKind,
    });
  };

  // Typical application headers next to the propagation fields.
  const userHeaders = (): Record<string, string> => ({
    'app-id': 'bench',
    'content-kind': 'order',
    'x-request-id': 'r-1',
  });

  // kafkajs: strings on produce, Buffers on consume.
  add(
    'kafkajs headers',
    'inject',
    () => mp.injectIntoCopy(active, userHeaders(), mp.kafkaHeadersSetter),
    () => {
      const headers = userHeaders();
      propagation.inject(active, headers);
      return headers;
    },
    'plain-object baseline',
  );
  const kafkaConsumed = {
    ...Object.fromEntries(Object.entries(userHeaders()).map(([k, v]) => [k, Buffer.from(v)])),
    traceparent: Buffer.from(TRACEPARENT),
  };
  const plainConsumed = { ...userHeaders(), traceparent: TRACEPARENT };
  add(
    'kafkajs headers',
    'extract',
    () => mp.extractFromCarrier(kafkaConsumed, mp.kafkaHeadersGetter),
    () => propagation.extract(ROOT_CONTEXT, plainConsumed),
    'plain-object baseline',
  );

  // amqplib: upstream injects into options.headers and extracts from properties.headers with the default getter/setter.
  add(
    'amqplib headers',
    'inject',
    () => mp.injectIntoCopy(active, userHeaders(), mp.amqpHeadersSetter),
    () => {
      const headers = userHeaders();
      propagation.inject(active, headers);
      return headers;
    },
    'upstream code path',
  );
  add(
    'amqplib headers',
    'extract',
    () => mp.extractFromCarrier(plainConsumed, mp.amqpHeadersGetter),
    () => propagation.extract(ROOT_CONTEXT, plainConsumed),
    'upstream code path',
  );

  // SQS, SDK shape.
  const sqsUser = () => ({ 'app-id': { DataType: 'String', StringValue: 'bench' } });
  add(
    'SQS MessageAttributes',
    'inject',
    () => mp.injectSqsContext(active, { MessageAttributes: sqsUser() }),
    () => {
      const attributes: Record<string, unknown> = sqsUser();
      propagation.inject(active, attributes);
      return attributes;
    },
    'plain-object baseline',
  );
  const sqsReceived = {
    MessageAttributes: { ...sqsUser(), traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
  };
  const plainSqs = { 'app-id': 'bench', traceparent: TRACEPARENT };
  add(
    'SQS MessageAttributes',
    'extract',
    () => mp.extractSqsMessageContext(sqsReceived),
    () => propagation.extract(ROOT_CONTEXT, plainSqs),
    'plain-object baseline',
  );

  // SQS, Lambda event shape (extract only: nothing is sent in this shape).
  const lambdaRecord = {
    messageAttributes: {
      'app-id': { dataType: 'String', stringValue: 'bench' },
      traceparent: { dataType: 'String', stringValue: TRACEPARENT },
    },
  };
  add(
    'Lambda SQS record',
    'extract',
    () => mp.extractLambdaSqsRecordContext(lambdaRecord),
    () => propagation.extract(ROOT_CONTEXT, plainSqs),
    'plain-object baseline',
  );

  // AWSTraceHeader: the fallback when 10 attributes leave no room.
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  const spanContext = trace.getSpanContext(active);
  add(
    'AWSTraceHeader',
    'inject',
    () => spanContext && mp.spanContextToAwsTraceHeader(spanContext),
    () => {
      const attributes: Record<string, unknown> = {};
      propagation.inject(active, attributes);
      return attributes;
    },
    'plain-object baseline',
  );
  add(
    'AWSTraceHeader',
    'extract',
    () => mp.awsTraceHeaderToSpanContext(header),
    () => propagation.extract(ROOT_CONTEXT, plainSqs),
    'plain-object baseline',
  );
  return results;
}

if (process.argv[1] === import.meta.filename) {
  const [out, iterations = '100000', repeats = '7'] = process.argv.slice(2);
  const results = runMicro(Number(iterations), Number(repeats));
  if (out) writeFileSync(out, JSON.stringify(results));
  else console.table(results);
}
