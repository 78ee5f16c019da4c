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
  [field: string]: unknown;
}

/** A partial batch response: the records Lambda should put back on the queue. */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export type SqsHandler<TEvent extends SqsEvent, TResult> = (
  event: TEvent,
  context: LambdaContext,
  ...rest: never[]
) => TResult | Promise<TResult>;

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
   * `false` turns flushing off.
   */
  flush?: (() => Promise<unknown>) | false;
}
