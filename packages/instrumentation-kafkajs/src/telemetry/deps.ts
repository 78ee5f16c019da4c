// The shared Kafka telemetry's deps and client constants, under the names the send telemetry uses.
export { kafkaClientAttributes as clientAttributes, MAX_SPAN_LINKS } from '@org/messaging-propagation/internal';
export type { KafkaTelemetry as KafkaTelemetryDeps } from '@org/messaging-propagation/internal';
