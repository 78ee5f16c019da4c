export { AwsSqsInstrumentation } from './instrumentation';
export { processSqsMessage } from './process';
export type { ProcessSqsMessageOptions } from './process';
export { processSqsRecord } from './lambda/records';
export { wrapSqsHandler } from './lambda/wrapper';
export type {
  LambdaContext,
  SqsBatchResponse,
  SqsEvent,
  SqsHandler,
  SqsHandlerCallback,
  SqsHandlerWrapperOptions,
  SqsRecord,
} from './lambda/types';
export type { AwsSqsInstrumentationConfig, SqsConsumerHookInfo, SqsMessage, SqsProducerHookInfo } from './types';
export {
  POWERTOOLS_BATCH_SUPPORTED_VERSIONS,
  SNS_SUPPORTED_VERSIONS,
  SQS_CONSUMER_SUPPORTED_VERSIONS,
  SUPPORTED_VERSIONS,
} from './version';
