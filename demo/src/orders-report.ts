// From the received spans to what the demo shows: every trace, the check of
// each order's trace, and the traces to draw with a label for every span a
// link may point at.
import type { ReceivedSpan } from '../../e2e/src/otlp/receiver.ts';
import { checkPipeline } from './check.ts';
import type { DemoOrder } from './services.ts';
import { buildTraces, serviceOf } from './traces.ts';
import type { DrawnTrace } from './traces.ts';

export interface OrdersReport {
  traces: DrawnTrace[];
  check: ReturnType<typeof checkPipeline>;
  drawn: Array<{ title: string; trace: DrawnTrace }>;
  /** `{span name} ({service})` by span id, over every received span. */
  spanLabels: Map<string, string>;
}

export function ordersReport(
  spans: readonly ReceivedSpan[],
  orders: DemoOrder[],
  failingOrderId: string,
): OrdersReport {
  const traces = buildTraces(spans);
  const spanLabels = new Map(spans.map((span) => [span.spanId, `${span.name} (${serviceOf(span)})`]));
  const check = checkPipeline(traces, orders, failingOrderId);
  const drawn = check.orders.flatMap((order) =>
    order.trace ? [{ title: `order ${order.id} (${order.customer})`, trace: order.trace }] : [],
  );
  return { traces, check, drawn, spanLabels };
}
