export { KafkaJsInstrumentation } from './instrumentation';
export { traceKafkaBatchMessage } from '@org/messaging-propagation/internal';
export type { KafkaConsumerHookInfo, KafkaJsInstrumentationConfig, KafkaProducerHookInfo } from './types';
export { SUPPORTED_VERSIONS } from './version';
