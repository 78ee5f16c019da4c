import { parseConsumerContextMode } from '@org/messaging-propagation';
import { MESSAGING_PLUGIN_NAMES, toPluginName } from './plugins';
import type { MessagingPluginName } from './plugins';
import type { MessagingInstrumentationsConfig } from './types';

/** Environment variables read by the register entry, besides the standard `OTEL_*` ones the NodeSDK reads. */
export const ENV = Object.freeze({
  enabled: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  disabled: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  consumerContext: 'OTEL_MQ_CONSUMER_CONTEXT',
  autoInstrumentations: 'OTEL_MQ_AUTO_INSTRUMENTATIONS',
});

/** `OTEL_MQ_KAFKAJS_CONSUMER_CONTEXT`, `OTEL_MQ_AMQPLIB_CONSUMER_CONTEXT`, `OTEL_MQ_AWS_SQS_CONSUMER_CONTEXT`. */
export function pluginEnvName(plugin: MessagingPluginName, setting: string): string {
  return `OTEL_MQ_${plugin.toUpperCase().replace(/-/g, '_')}_${setting}`;
}

export interface EnvConfig {
  instrumentations: MessagingInstrumentationsConfig;
  /** Also load `@opentelemetry/auto-instrumentations-node` (http, databases, …). */
  autoInstrumentations: boolean;
  /** Problems with the environment, to log as warnings: never a reason to fail. */
  warnings: string[];
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function flag(value: string | undefined, name: string, warnings: string[]): boolean {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return false;
  if (text === 'true' || text === '1') return true;
  if (text !== 'false' && text !== '0') warnings.push(`${name}=${value} is not true or false; using false`);
  return false;
}

/**
 * Reads the otel-mq settings from the environment:
 * - `OTEL_NODE_ENABLED_INSTRUMENTATIONS`: when set, only the plugins it names are on
 *   (names it holds for other instrumentations, such as `http`, are left to them);
 * - `OTEL_NODE_DISABLED_INSTRUMENTATIONS`: plugins it names are off; it wins over the above;
 * - `OTEL_MQ_CONSUMER_CONTEXT` (`parent` | `link`), overridden per plugin by
 *   `OTEL_MQ_<PLUGIN>_CONSUMER_CONTEXT`;
 * - `OTEL_MQ_AUTO_INSTRUMENTATIONS` (`true` | `false`).
 */
export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const warnings: string[] = [];
  const enabledList = list(env[ENV.enabled]);
  const enabledNames = new Set(enabledList.map(toPluginName));
  const disabledNames = new Set(list(env[ENV.disabled]).map(toPluginName));

  const readMode = (name: string) => {
    const value = env[name];
    if (value === undefined || value.trim() === '') return undefined;
    const mode = parseConsumerContextMode(value);
    if (!mode) warnings.push(`${name}=${value} is not 'parent' or 'link'; ignored`);
    return mode;
  };
  const globalMode = readMode(ENV.consumerContext);

  const instrumentations: MessagingInstrumentationsConfig = {};
  for (const plugin of MESSAGING_PLUGIN_NAMES) {
    const enabled = (enabledList.length === 0 || enabledNames.has(plugin)) && !disabledNames.has(plugin);
    const consumerContextPolicy = readMode(pluginEnvName(plugin, 'CONSUMER_CONTEXT')) ?? globalMode;
    instrumentations[plugin] = consumerContextPolicy === undefined ? { enabled } : { enabled, consumerContextPolicy };
  }
  return {
    instrumentations,
    autoInstrumentations: flag(env[ENV.autoInstrumentations], ENV.autoInstrumentations, warnings),
    warnings,
  };
}
