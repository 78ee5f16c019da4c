// `@org/messaging-propagation/internal`: the span-lifecycle machinery the otel-mq
// plugins share. Not for applications: it may change in any release.
export { endOperation, failedWith, SUCCEEDED } from './end-operation';
export type { OperationMetrics, OperationOutcome, OperationTelemetry, StartedOperation } from './end-operation';
export { whileEnabled } from './plugin-telemetry';
export type { PluginTelemetry } from './plugin-telemetry';
