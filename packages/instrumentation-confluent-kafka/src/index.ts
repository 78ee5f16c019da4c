export { ConfluentKafkaInstrumentation } from './instrumentation';
export { processKafkaMessage } from './telemetry/native-consume';
export { traceKafkaBatchMessage } from '@org/messaging-propagation/internal';
export type {
  ConfluentKafkaConsumerHookInfo,
  ConfluentKafkaInstrumentationConfig,
  ConfluentKafkaProducerHookInfo,
} from './types';
export { SUPPORTED_VERSIONS } from './version';
