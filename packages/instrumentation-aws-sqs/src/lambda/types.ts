// The Lambda SQS event shapes the wrapper reads (as in @types/aws-lambda), typed
// loosely: the wrapper never trusts an event to be well formed.
import type { LambdaSqsMessageAttributes } from '@org/messaging-propagation';

/** One record of an SQS-triggered Lambda event. */
export interface SqsRecord {
  messageId?: string;
  receiptHandle?: string;
  body?: string;
  /** `ApproximateReceiveCount`, `SentTimestamp`, `AWSTraceHeader`, … as strings */
  attributes?: Record<string, string | undefined>;
  messageAttributes?: LambdaSqsMessageAttributes;
  /** `arn:aws:sqs:{region}:{account}:{queue}` */
  eventSourceARN?: string;
  eventSource?: string;
  awsRegion?: string;
  [field: string]: unknown;
}

export interface SqsEvent {
  Records?: SqsRecord[];
  [field: string]: unknown;
}

/** The parts of the Lambda `context` object the wrapper reads. */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  functionVersion?: string;
  invokedFunctionArn?: string;
  /** Milliseconds left before the function times out: bounds the flush before returning. */
  getRemainingTimeInMillis?: () => number;
  [field: string]: unknown;
}

/** A partial batch response: the records Lambda should put back on the queue. */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** The callback of a callback-style handler: `callback(error)` or `callback(null, result)`. */
export type SqsHandlerCallback<TResult> = (error?: unknown, result?: TResult) => void;

/**
 * An async handler (`async (event, context) => result`), or a callback-style one
 * (`(event, context, callback) => void`), told apart by its number of parameters.
 */
export type SqsHandler<TEvent extends SqsEvent, TResult> = (
  event: TEvent,
  context: LambdaContext,
  callback: SqsHandlerCallback<TResult>,
) => TResult | Promise<TResult> | void;

/** Options of `wrapSqsHandler`. */
export interface SqsHandlerWrapperOptions {
  /**
   * Answer with `{ batchItemFailures }` listing every record whose
   * `processSqsRecord` call failed (merged with the handler's own list, if it
   * returns one). Needs `ReportBatchItemFailures` on the event source mapping.
   * @default false
   */
  reportBatchItemFailures?: boolean;
  /**
   * Run before the wrapped handler returns, as Lambda freezes the process right
   * after: by default the global tracer and meter providers' `forceFlush()`.
   * Awaited until shortly before the function's timeout (from
   * `getRemainingTimeInMillis()`; the README gives the margin), then given up on.
   * `false` turns flushing off.
   */
  flush?: (() => Promise<unknown>) | false;
}
