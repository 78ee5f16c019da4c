import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { MessagingInstrumentation } from './messaging-instrumentation';
import { SEMCONV_SCHEMA_URL } from './semconv';

class NoopReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A plugin with no module to patch, recording what the base class calls. */
class ProbeInstrumentation extends MessagingInstrumentation<InstrumentationConfig> {
  static calls: string[] = [];

  constructor(config: InstrumentationConfig = {}) {
    super('probe', '1.2.3', config);
  }

  get exposedTelemetry() {
    return this.telemetry;
  }

  protected init() {
    return [];
  }

  protected override onEnable(): void {
    // Called from InstrumentationBase's constructor too: the telemetry must already work.
    ProbeInstrumentation.calls.push(`enable:${this.telemetry.enabled()}`);
  }

  protected override onDisable(): void {
    ProbeInstrumentation.calls.push(`disable:${this.telemetry.enabled()}`);
  }
}

describe('MessagingInstrumentation', () => {
  beforeEach(() => {
    ProbeInstrumentation.calls = [];
  });

  it('runs onEnable from the base constructor and on every enable(), onDisable on disable()', () => {
    const plugin = new ProbeInstrumentation();
    expect(ProbeInstrumentation.calls).toEqual(['enable:true']);
    plugin.disable();
    plugin.enable();
    expect(ProbeInstrumentation.calls).toEqual(['enable:true', 'disable:false', 'enable:true']);
    plugin.disable();
  });

  it('keeps state set during construction (no field initialiser resets it)', () => {
    const plugin = new ProbeInstrumentation();
    const telemetry = plugin.exposedTelemetry;
    expect(plugin.exposedTelemetry).toBe(telemetry);
    expect(telemetry.config()).toEqual(expect.objectContaining({ enabled: true }));
    plugin.disable();
  });

  it('gets its tracer from the provider it is given, with the semconv schema URL', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const plugin = new ProbeInstrumentation({ enabled: false });
    plugin.setTracerProvider(provider);
    plugin.exposedTelemetry.tracer().startSpan('probe').end();
    const [span] = exporter.getFinishedSpans();
    expect(span?.instrumentationScope).toEqual({ name: 'probe', version: '1.2.3', schemaUrl: SEMCONV_SCHEMA_URL });
  });

  it('makes its metric instruments again from a new meter provider', () => {
    const plugin = new ProbeInstrumentation({ enabled: false });
    plugin.setMeterProvider(new MeterProvider({ readers: [new NoopReader()] }));
    const first = plugin.exposedTelemetry.metrics();
    expect(plugin.exposedTelemetry.metrics()).toBe(first);
    plugin.setMeterProvider(new MeterProvider({ readers: [new NoopReader()] }));
    expect(plugin.exposedTelemetry.metrics()).not.toBe(first);
  });
});
