// The tracer and meter of one plugin, announcing the semantic-conventions schema
// URL its names follow. @opentelemetry/instrumentation 0.301 gets its tracer and
// meter without a schema URL (InstrumentationAbstract calls getTracer(name,
// version)), so each plugin asks its providers again through this, with one.
import { metrics, trace } from '@opentelemetry/api';
import type { Meter, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import { SEMCONV_SCHEMA_URL } from './semconv';

export class SchemaScope {
  private currentTracer: Tracer;
  private currentMeter: Meter;

  constructor(
    private readonly name: string,
    private readonly version: string,
  ) {
    this.currentTracer = trace.getTracerProvider().getTracer(name, version, { schemaUrl: SEMCONV_SCHEMA_URL });
    this.currentMeter = metrics.getMeter(name, version, { schemaUrl: SEMCONV_SCHEMA_URL });
  }

  get tracer(): Tracer {
    return this.currentTracer;
  }

  get meter(): Meter {
    return this.currentMeter;
  }

  useTracerProvider(provider: TracerProvider): void {
    this.currentTracer = provider.getTracer(this.name, this.version, { schemaUrl: SEMCONV_SCHEMA_URL });
  }

  useMeterProvider(provider: MeterProvider): void {
    this.currentMeter = provider.getMeter(this.name, this.version, { schemaUrl: SEMCONV_SCHEMA_URL });
  }
}
