// The InstrumentationBase every otel-mq plugin extends: its tracer and meter
// announce the semconv schema URL, its telemetry is read lazily by the patches,
// and enabling it installs the exit sweep of spans left open.
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { withConfigDefaults } from './config-defaults';
import { installExitSweep } from './exit-sweep';
import { getMessagingMetrics } from './metrics';
import type { MessagingMetrics } from './metrics';
import type { PluginTelemetry } from './plugin-telemetry';
import { SchemaScope } from './schema-scope';

/** A plugin's telemetry with the name its diag messages give it. */
export type LabelledTelemetry<Config> = PluginTelemetry<Config> & { label: string };

const NO_DEFAULTS = Object.freeze({});

/**
 * InstrumentationBase's constructor calls `_updateMetricInstruments()`, `init()`
 * and `enable()` before a subclass's fields exist, so this class keeps its state
 * in `declare`d fields set on first use (a field initialiser would reset them).
 */
export abstract class MessagingInstrumentation<
  Config extends InstrumentationConfig,
  /** The options that have a default, with it: merged into every config set, so they are always present. */
  Defaults extends Partial<Config> = Partial<Config>,
> extends InstrumentationBase<Config> {
  declare private schemaScope: SchemaScope | undefined;
  declare private messagingMetrics: MessagingMetrics | undefined;
  declare private pluginTelemetry: LabelledTelemetry<Config & Defaults> | undefined;

  /** The client named in diag messages (`kafkajs`, `confluent-kafka`, …); a getter, read before fields exist. */
  protected get pluginLabel(): string {
    return this.instrumentationName;
  }

  /** The plugin's option defaults (a getter: InstrumentationBase's constructor sets the config before fields exist). */
  protected get configDefaults(): Defaults {
    return NO_DEFAULTS as Defaults;
  }

  /** Sets the config with the plugin's defaults merged in, once: the patches read plain properties. */
  override setConfig(config?: Config): void {
    super.setConfig(withConfigDefaults(this.configDefaults, config));
  }

  /** What the patches read: tracer, metrics, config and enabled state, each looked up on use. */
  protected get telemetry(): LabelledTelemetry<Config & Defaults> {
    return (this.pluginTelemetry ??= {
      label: this.pluginLabel,
      tracer: () => this.scope().tracer,
      metrics: () => (this.messagingMetrics ??= getMessagingMetrics(this.scope().meter)),
      // setConfig merged the defaults in.
      config: () => this.getConfig() as Config & Defaults,
      enabled: () => this.isEnabled(),
      diag: this._diag,
    });
  }

  override enable(): void {
    super.enable();
    // Work that never settles: its spans are ended and flushed when the process is about to end.
    installExitSweep();
    this.onEnable();
  }

  override disable(): void {
    super.disable();
    this.onDisable();
  }

  /** Runs after every enable(), including the one InstrumentationBase's constructor makes. */
  protected onEnable(): void {}

  protected onDisable(): void {}

  protected override _updateMetricInstruments(): void {
    // Recreated from the new meter on first use.
    this.messagingMetrics = undefined;
  }

  override setTracerProvider(provider: TracerProvider): void {
    super.setTracerProvider(provider);
    this.scope().useTracerProvider(provider);
  }

  override setMeterProvider(provider: MeterProvider): void {
    this.scope().useMeterProvider(provider);
    super.setMeterProvider(provider);
  }

  private scope(): SchemaScope {
    return (this.schemaScope ??= new SchemaScope(this.instrumentationName, this.instrumentationVersion));
  }
}
