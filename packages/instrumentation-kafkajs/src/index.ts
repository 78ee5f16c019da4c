export { KafkaJsInstrumentation } from './instrumentation';
export { traceKafkaBatchMessage } from './telemetry/batch';
export type { KafkaConsumerHookInfo, KafkaJsInstrumentationConfig, KafkaProducerHookInfo } from './types';
export { SUPPORTED_VERSIONS } from './version';
