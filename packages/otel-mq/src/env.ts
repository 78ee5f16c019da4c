import { parseConsumerContextMode } from '@org/messaging-propagation';
import { MESSAGING_PLUGIN_NAMES, PLUGIN_ENV_FLAGS, toPluginName } from './plugins';
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

/** `true`/`1` or `false`/`0`; unset, empty or anything else is `undefined` (the latter with a warning). */
function optionalFlag(value: string | undefined, name: string, warnings: string[]): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  warnings.push(`${name}=${value} is not true or false; ignored`);
  return undefined;
}

/**
 * Reads the otel-mq settings from the environment:
 * - `OTEL_NODE_ENABLED_INSTRUMENTATIONS`: when set, only the plugins it names are on
 *   (names it holds for other instrumentations, such as `http`, are left to them);
 * - `OTEL_NODE_DISABLED_INSTRUMENTATIONS`: plugins it names are off; it wins over the above;
 * - `OTEL_MQ_CONSUMER_CONTEXT` (`parent` | `link`), overridden per plugin by
 *   `OTEL_MQ_<PLUGIN>_CONSUMER_CONTEXT`;
 * - `OTEL_MQ_<PLUGIN>_<OPTION>` (`true` | `false`) for the boolean options in `PLUGIN_ENV_FLAGS`,
 *   e.g. `OTEL_MQ_KAFKAJS_CAPTURE_MESSAGE_KEY=false`;
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
    const settings: Record<string, unknown> = { enabled };
    if (consumerContextPolicy !== undefined) settings['consumerContextPolicy'] = consumerContextPolicy;
    for (const [suffix, option] of Object.entries(PLUGIN_ENV_FLAGS[plugin])) {
      const name = pluginEnvName(plugin, suffix);
      const value = optionalFlag(env[name], name, warnings);
      if (value !== undefined) settings[option] = value;
    }
    instrumentations[plugin] = settings;
  }
  return {
    instrumentations,
    autoInstrumentations: optionalFlag(env[ENV.autoInstrumentations], ENV.autoInstrumentations, warnings) ?? false,
    warnings,
  };
}
