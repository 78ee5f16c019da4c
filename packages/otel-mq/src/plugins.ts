import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@org/instrumentation-amqplib';
import type { AmqplibInstrumentationConfig } from '@org/instrumentation-amqplib';
import { AwsSqsInstrumentation } from '@org/instrumentation-aws-sqs';
import type { AwsSqsInstrumentationConfig } from '@org/instrumentation-aws-sqs';
import { ConfluentKafkaInstrumentation } from '@org/instrumentation-confluent-kafka';
import type { ConfluentKafkaInstrumentationConfig } from '@org/instrumentation-confluent-kafka';
import { KafkaJsInstrumentation } from '@org/instrumentation-kafkajs';
import type { KafkaJsInstrumentationConfig } from '@org/instrumentation-kafkajs';
import type { ConsumerContextMode } from './types';

/** Short names of the otel-mq plugins, as used in `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `..._DISABLED_...`. */
export const MESSAGING_PLUGIN_NAMES = ['kafkajs', 'amqplib', 'aws-sqs', 'confluent-kafka'] as const;
export type MessagingPluginName = (typeof MESSAGING_PLUGIN_NAMES)[number];

/** The package each plugin ships in; also accepted as its name in the env vars. */
export const PLUGIN_PACKAGES: Readonly<Record<MessagingPluginName, string>> = Object.freeze({
  kafkajs: '@org/instrumentation-kafkajs',
  amqplib: '@org/instrumentation-amqplib',
  'aws-sqs': '@org/instrumentation-aws-sqs',
  'confluent-kafka': '@org/instrumentation-confluent-kafka',
});

/**
 * The upstream instrumentation each plugin replaces: when `@opentelemetry/auto-instrumentations-node`
 * is loaded alongside, these are turned off so nothing is instrumented twice. confluent-kafka has
 * none: auto-instrumentations-node does not instrument `@confluentinc/kafka-javascript`.
 */
export const UPSTREAM_COUNTERPARTS: Readonly<Partial<Record<MessagingPluginName, string>>> = Object.freeze({
  kafkajs: '@opentelemetry/instrumentation-kafkajs',
  amqplib: '@opentelemetry/instrumentation-amqplib',
  'aws-sqs': '@opentelemetry/instrumentation-aws-sdk',
});

/** What every plugin factory receives: the context policy, plus the plugin's own options. */
export interface PluginFactoryOptions {
  consumerContextPolicy?: ConsumerContextMode | undefined;
  [option: string]: unknown;
}

/**
 * Boolean plugin options that can be set from the environment, as
 * `OTEL_MQ_<PLUGIN>_<SUFFIX>=true|false`: suffix → option name.
 */
export const PLUGIN_ENV_FLAGS: Readonly<Record<MessagingPluginName, Readonly<Record<string, string>>>> = Object.freeze({
  kafkajs: Object.freeze({
    CAPTURE_MESSAGE_KEY: 'captureMessageKey',
    CREATE_SPANS_PER_MESSAGE: 'createSpansPerMessage',
    CAPTURE_BODY_SIZE: 'captureBodySize',
    COMMIT_SPANS: 'commitSpans',
  }),
  amqplib: Object.freeze({ CAPTURE_BODY_SIZE: 'captureBodySize', SETTLE_SPANS: 'recordSettleSpans' }),
  'aws-sqs': Object.freeze({ CAPTURE_BODY_SIZE: 'captureBodySize' }),
  'confluent-kafka': Object.freeze({
    CAPTURE_MESSAGE_KEY: 'captureMessageKey',
    CREATE_SPANS_PER_MESSAGE: 'createSpansPerMessage',
    CAPTURE_BODY_SIZE: 'captureBodySize',
    COMMIT_SPANS: 'commitSpans',
  }),
});

/**
 * The plugins that have landed, by name. A plugin is added here when its package
 * exists; until then the register entry starts cleanly without it.
 */
export const PLUGIN_FACTORIES: Partial<
  Record<MessagingPluginName, (options: PluginFactoryOptions) => Instrumentation>
> = {
  kafkajs: (options) => new KafkaJsInstrumentation(withoutUndefined<KafkaJsInstrumentationConfig>(options)),
  amqplib: (options) => new AmqplibInstrumentation(withoutUndefined<AmqplibInstrumentationConfig>(options)),
  'aws-sqs': (options) => new AwsSqsInstrumentation(withoutUndefined<AwsSqsInstrumentationConfig>(options)),
  'confluent-kafka': (options) =>
    new ConfluentKafkaInstrumentation(withoutUndefined<ConfluentKafkaInstrumentationConfig>(options)),
};

/** The options as a plugin config: plugin options are checked where they are typed (`types.ts`). */
function withoutUndefined<Config extends object>(options: PluginFactoryOptions): Config {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Config;
}

/** Resolves a name from an env var (`kafkajs`, `@org/instrumentation-kafkajs`, any case) to a plugin name. */
export function toPluginName(text: string): MessagingPluginName | undefined {
  const name = text.trim().toLowerCase();
  return MESSAGING_PLUGIN_NAMES.find((plugin) => plugin === name || PLUGIN_PACKAGES[plugin] === name);
}
