// @aws-lambda-powertools/batch (2.x): `processPartialResponse(event, recordHandler,
// processor)` and `processor.register(records, recordHandler)` hand the record
// handler to the processor, which calls it once per record and builds the
// partial batch response from what it returns or throws. Wrapping the handler
// where it is registered (`BasePartialBatchProcessor.prototype.register`, public
// API, inherited by BatchProcessor, BatchProcessorSync and the SQS FIFO
// processors) gives every SQS record a process span in its producer's trace,
// with no code, and hands the processor exactly what the handler returned.
import type { DiagLogger } from '@opentelemetry/api';
import { processRecordAsReturned } from '../lambda/records';
import type { SqsRecord } from '../lambda/types';
import { isObject } from '../telemetry';

type Handler = (this: unknown, ...args: unknown[]) => unknown;

const ours = new WeakSet<object>();

function isSqsRecord(value: unknown): value is SqsRecord {
  return isObject(value) && value['eventSource'] === 'aws:sqs';
}

function wrapRecordHandler(handler: Handler): Handler {
  const instrumented: Handler = function recordHandler(this: unknown, ...args: unknown[]) {
    const record = args[0];
    // Kinesis and DynamoDB records go through the same processors: only SQS ones get a span.
    if (!isSqsRecord(record)) return handler.apply(this, args);
    return processRecordAsReturned(record, () => handler.apply(this, args));
  };
  ours.add(instrumented);
  return instrumented;
}

/** Wrapper for `BasePartialBatchProcessor.prototype.register(records, handler, options?)`. */
export function patchProcessorRegister(diag: DiagLogger) {
  return (original: Handler) =>
    function register(this: unknown, ...args: unknown[]): unknown {
      let registered = args;
      try {
        const handler = args[1];
        if (typeof handler === 'function' && !ours.has(handler)) {
          registered = [...args];
          registered[1] = wrapRecordHandler(handler as Handler);
        }
      } catch (error) {
        diag.error('otel-mq: could not instrument a Powertools batch handler', error);
        registered = args;
      }
      return original.apply(this, registered);
    };
}
