/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- the case under test */
// A rejection or throw is a failure whatever it carries: handlers and amqplib
// calls that fail with `undefined` end their spans as errors, `error.type` `_OTHER`.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { delivery, exporter, patchAmqplib, telemetryDeps } from '../test/harness';
import { patchPromiseGet } from './patches/get';
import { patchConfirmPublish, patchPublish } from './patches/publish';
import { patchSettle, SETTLE_METHODS } from './patches/settle';
import { processMessage } from './process-message';

patchAmqplib();
beforeEach(() => exporter.reset());
const deps = telemetryDeps({ enabled: true }, { recordSettleSpans: true });
const channel = {};

function expectFailed(span: ReadableSpan | undefined): void {
  expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  expect(span?.attributes['error.type']).toBe('_OTHER');
}

function throwsUndefined(): never {
  throw undefined;
}

describe('failing with undefined', () => {
  it('fails the process span of a handler that rejects', async () => {
    await expect(processMessage(delivery('t', undefined), () => Promise.reject(undefined))).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CONSUMER));
  });

  it('fails the publish span of a publish that throws', () => {
    const publish = patchPublish(deps)(throwsUndefined);
    expect(() => publish.call(channel, 'orders', 'k', Buffer.from('x'))).toThrow();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the publish span of a confirm publish that throws', () => {
    const publish = patchConfirmPublish(deps)(throwsUndefined);
    expect(() => publish.call(channel, 'orders', 'k', Buffer.from('x'), {}, () => undefined)).toThrow();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the receive span of a get that rejects', async () => {
    const get = patchPromiseGet(deps)(() => Promise.reject(undefined));
    await expect(get.call(channel, 'jobs')).rejects.toBeUndefined();
    expectFailed(exporter.getFinishedSpans()[0]);
  });

  it('fails the settle span of an ack that throws', () => {
    const ack = patchSettle(deps, SETTLE_METHODS['ack']!)(throwsUndefined);
    expect(() => ack.call(channel, delivery('t', undefined))).toThrow();
    expectFailed(exporter.getFinishedSpans()[0]);
  });
});
