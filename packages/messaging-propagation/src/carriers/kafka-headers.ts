import { headerMapGetter, headerMapSetter, readPropagationValue } from './header-value';

/** A kafkajs header value: kafkajs gives Buffers on consume and accepts strings or Buffers on produce. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

/** Reads propagation fields from kafkajs message headers (case-insensitive keys, Buffers decoded, arrays honoured). */
export const kafkaHeadersGetter = headerMapGetter<KafkaHeaders | undefined>(readPropagationValue);

/** Writes propagation fields as string headers. Use only on a copy: see `injectIntoCopy`. */
export const kafkaHeadersSetter = headerMapSetter<KafkaHeaders>((value) => value);
