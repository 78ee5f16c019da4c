export { AmqplibInstrumentation, PATCHED_FILES } from './instrumentation';
export { processMessage } from './process-message';
export type {
  AmqplibConfirmHookInfo,
  AmqplibConsumeHookInfo,
  AmqplibInstrumentationConfig,
  AmqplibPublishHookInfo,
  AmqplibSettleHookInfo,
} from './types';
export { SUPPORTED_VERSIONS } from './version';
