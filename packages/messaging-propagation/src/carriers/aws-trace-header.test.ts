import { TraceFlags } from '@opentelemetry/api';
import { HOSTILE_VALUES } from '../../test/hostile-values';
import { awsTraceHeaderToSpanContext, spanContextToAwsTraceHeader } from './aws-trace-header';

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const SPAN_ID = '53995c3f42cd8ad8';
const HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('AWSTraceHeader', () => {
  it('writes the X-Ray format from a span context', () => {
    expect(spanContextToAwsTraceHeader({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED })).toBe(
      HEADER,
    );
    expect(spanContextToAwsTraceHeader({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE })).toMatch(
      /;Sampled=0$/,
    );
  });

  it('parses it back into a remote span context', () => {
    expect(awsTraceHeaderToSpanContext(HEADER)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('accepts reordered fields, extra fields, spaces, upper-case hex and missing Sampled', () => {
    const sc = awsTraceHeaderToSpanContext(
      'Lineage=a87bd80c:1|68fd508a:5 ; Parent=53995C3F42CD8AD8;Root=1-5759E988-BD862E3FE1BE46A994272793',
    );
    expect(sc).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE, isRemote: true });
  });

  it('round-trips any valid span context', () => {
    const original = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    expect(awsTraceHeaderToSpanContext(spanContextToAwsTraceHeader(original))).toEqual(original);
  });

  it.each([
    'Root=1-5759e988-bd862e3fe1be46a994272793',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=',
    'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
    'Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000',
    'Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad',
    `${HEADER};${'x'.repeat(2000)}`,
  ])('rejects %s', (header) => {
    expect(awsTraceHeaderToSpanContext(header)).toBeUndefined();
  });

  it('never throws on hostile values', () => {
    for (const value of HOSTILE_VALUES) expect(awsTraceHeaderToSpanContext(value)).toBeUndefined();
  });
});
