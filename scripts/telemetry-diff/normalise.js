// Normalises spans and metrics for comparison across commits: ids, timestamps,
// durations and histogram sums/buckets are dropped; names, kinds, status,
// attributes, events, links (count and attributes) and the parent/child shape stay.

/** Attributes whose values depend on the clock: kept as present, value dropped. */
const CLOCK_ATTRIBUTES = new Set(['otel_mq.message.queue_time_ms']);

function sortedAttributes(attributes = {}) {
  const out = {};
  for (const key of Object.keys(attributes).sort()) {
    out[key] = CLOCK_ATTRIBUTES.has(key) ? '<clock>' : attributes[key];
  }
  return out;
}

function eventShape(event) {
  const attributes = sortedAttributes(event.attributes);
  if ('exception.stacktrace' in attributes) attributes['exception.stacktrace'] = '<stack>';
  return { name: event.name, attributes };
}

/**
 * `spans` of one scenario, each named by kind and name (and an index when
 * several share both), with parents and link targets replaced by those labels:
 * `external` for the scenario's fixed parent, `foreign` for any other context
 * (a producer header, a span of another scenario).
 */
function normaliseSpans(spans, externalSpanId) {
  const base = spans.map((span) => `${span.kind}:${span.name}`);
  const labels = new Map();
  const seen = new Map();
  // Order-independent labels: within one kind+name, order by attributes.
  const order = spans
    .map((span, index) => ({ span, index, key: `${base[index]} ${JSON.stringify(sortedAttributes(span.attributes))}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { span, index } of order) {
    const n = seen.get(base[index]) ?? 0;
    seen.set(base[index], n + 1);
    labels.set(span.spanContext().spanId, n === 0 ? base[index] : `${base[index]}#${n}`);
  }
  const target = (spanContext) => {
    if (!spanContext) return null;
    if (labels.has(spanContext.spanId)) return labels.get(spanContext.spanId);
    return spanContext.spanId === externalSpanId ? 'external' : 'foreign';
  };
  return order.map(({ span }) => ({
    label: labels.get(span.spanContext().spanId),
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope.name,
    status: span.status.message ? { code: span.status.code, message: span.status.message } : { code: span.status.code },
    parent: target(span.parentSpanContext),
    attributes: sortedAttributes(span.attributes),
    events: span.events.map(eventShape),
    links: span.links.map((link) => ({ target: target(link.context), attributes: sortedAttributes(link.attributes) })),
    ended: span.ended,
  }));
}

/** Metric names, units, attribute sets and counts (histograms: count only). */
function normaliseMetrics(resourceMetrics) {
  const out = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints) {
        const histogram = typeof point.value === 'object' && point.value !== null;
        out.push({
          scope: scope.scope.name,
          name: metric.descriptor.name,
          unit: metric.descriptor.unit,
          attributes: sortedAttributes(point.attributes),
          ...(histogram ? { count: point.value.count } : { value: point.value }),
        });
      }
    }
  }
  const key = (m) => `${m.name} ${JSON.stringify(m.attributes)}`;
  return out.filter((m) => m.count !== 0 && m.value !== 0).sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

module.exports = { normaliseMetrics, normaliseSpans };
