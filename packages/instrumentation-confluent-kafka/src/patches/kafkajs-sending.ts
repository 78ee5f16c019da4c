// The KafkaJS API's producer sends through the native Producer's `produce`
// (lib/kafkajs/_producer.js, 1.x: synchronously, once per message, inside
// `send`). While one of our traced KafkaJS-API sends makes those calls, the
// native produce wrapper leaves them alone: the send span already covers them.
let depth = 0;

export function whileKafkaJsSends<T>(call: () => T): T {
  depth++;
  try {
    return call();
  } finally {
    depth--;
  }
}

/** True while a traced KafkaJS-API send is calling into the native producer. */
export function insideKafkaJsSend(): boolean {
  return depth > 0;
}
