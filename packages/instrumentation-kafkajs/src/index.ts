export { KafkaJsInstrumentation } from './instrumentation';
export type { KafkaConsumerHookInfo, KafkaJsInstrumentationConfig, KafkaProducerHookInfo } from './types';
export { SUPPORTED_VERSIONS } from './version';
