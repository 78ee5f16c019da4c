// Native-API consumers (`KafkaConsumer`) that the KafkaJS API runs its own
// consumers on: their messages reach eachMessage/eachBatch, already traced there.
const kafkaJsInternalConsumers = new WeakSet<object>();

/** Marks the native consumer under a KafkaJS-API consumer (`_getInternalClient()`, 1.x), once it is connected. */
export function markKafkaJsInternalConsumer(kafkaJsConsumer: object): void {
  const internal = (kafkaJsConsumer as { _getInternalClient?: () => unknown })._getInternalClient?.();
  if (internal && typeof internal === 'object') kafkaJsInternalConsumers.add(internal);
}

export function isKafkaJsInternalConsumer(consumer: object): boolean {
  return kafkaJsInternalConsumers.has(consumer);
}
