import { loadAutoInstrumentations } from './auto-instrumentations';

describe('loadAutoInstrumentations', () => {
  it('turns off the upstream counterparts of our plugins and keeps the rest', () => {
    const names = loadAutoInstrumentations(['kafkajs', 'amqplib']).map((i) => i.instrumentationName);
    expect(names).toContain('@opentelemetry/instrumentation-http');
    expect(names).toContain('@opentelemetry/instrumentation-aws-sdk');
    expect(names).not.toContain('@opentelemetry/instrumentation-kafkajs');
    expect(names).not.toContain('@opentelemetry/instrumentation-amqplib');
  });

  it('keeps the upstream ones we do not replace', () => {
    const names = loadAutoInstrumentations([]).map((i) => i.instrumentationName);
    expect(names).toContain('@opentelemetry/instrumentation-kafkajs');
  });

  it('returns none when the package is missing or odd', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/auto-instrumentations-node'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(loadAutoInstrumentations(['kafkajs'], missing)).toEqual([]);
    expect(loadAutoInstrumentations(['kafkajs'], () => ({}))).toEqual([]);
  });
});
