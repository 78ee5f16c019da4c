// A plugin's option defaults, merged once, when its config is set (constructor
// and setConfig): every read on the hot path is then a plain property, never a
// `!== false` that restates the default at the call site.

/** `config` over `defaults`; a field given as `undefined` keeps its default. */
export function withConfigDefaults<Config extends object, Defaults extends Partial<Config>>(
  defaults: Defaults,
  config: Config | undefined,
): Config & Defaults {
  const merged: Record<string, unknown> = { ...defaults };
  if (typeof config === 'object' && config !== null) {
    for (const key of Object.keys(config)) {
      const value = (config as Record<string, unknown>)[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged as Config & Defaults;
}
