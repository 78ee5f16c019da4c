// The InstrumentationBase every otel-mq plugin extends: its tracer and meter
// announce the semconv schema URL, its telemetry is read lazily by the patches,
// and enabling it installs the exit sweep of spans left open.
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { installExitSweep } from './exit-sweep';
import { getMessagingMetrics } from './metrics';
import type { MessagingMetrics } from './metrics';
import type { PluginTelemetry } from './plugin-telemetry';
import { SchemaScope } from './schema-scope';

/** A plugin's telemetry with the name its diag messages give it. */
export type LabelledTelemetry<Config> = PluginTelemetry<Config> & { label: string };

/**
 * InstrumentationBase's constructor calls `_updateMetricInstruments()`, `init()`
 * and `enable()` before a subclass's fields exist, so this class keeps its state
 * in `declare`d fields set on first use (a field initialiser would reset them).
 */
export abstract class MessagingInstrumentation<
  Config extends InstrumentationConfig,
> extends InstrumentationBase<Config> {
  declare private schemaScope: SchemaScope | undefined;
  declare private messagingMetrics: MessagingMetrics | undefined;
  declare private pluginTelemetry: LabelledTelemetry<Config> | undefined;

  /** The client named in diag messages (`kafkajs`, `confluent-kafka`, …); a getter, read before fields exist. */
  protected get pluginLabel(): string {
    return this.instrumentationName;
  }

  /** What the patches read: tracer, metrics, config and enabled state, each looked up on use. */
  protected get telemetry(): LabelledTelemetry<Config> {
    return (this.pluginTelemetry ??= {
      label: this.pluginLabel,
      tracer: () => this.scope().tracer,
      metrics: () => (this.messagingMetrics ??= getMessagingMetrics(this.scope().meter)),
      config: () => this.getConfig(),
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
