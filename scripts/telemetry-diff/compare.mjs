// Compares two snapshot folders written by the workloads (before, after) and
// prints every difference: spans matched by label (kind:name[#n]) per scenario,
// then their fields, attributes, events and links; metric points matched by
// name and attribute set. Exits 1 when anything differs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: node compare.mjs <before-dir> <after-dir>');
  process.exit(2);
}

const load = (dir) =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8'))]),
  );
const show = (value) => JSON.stringify(value);
const lines = [];

function diffRecords(where, a = {}, b = {}) {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in b)) lines.push(`${where}: - ${key}=${show(a[key])}`);
    else if (!(key in a)) lines.push(`${where}: + ${key}=${show(b[key])}`);
    else if (show(a[key]) !== show(b[key])) lines.push(`${where}: ~ ${key} ${show(a[key])} -> ${show(b[key])}`);
  }
}

function diffSpan(where, a, b) {
  for (const field of ['kind', 'scope', 'status', 'parent', 'ended']) {
    if (show(a[field]) !== show(b[field])) lines.push(`${where}: ${field} ${show(a[field])} -> ${show(b[field])}`);
  }
  diffRecords(`${where} attributes`, a.attributes, b.attributes);
  if (show(a.events) !== show(b.events)) lines.push(`${where}: events ${show(a.events)} -> ${show(b.events)}`);
  if (a.links.length !== b.links.length) lines.push(`${where}: link count ${a.links.length} -> ${b.links.length}`);
  a.links.forEach((link, i) => {
    if (b.links[i]) {
      if (link.target !== b.links[i].target)
        lines.push(`${where} link ${i}: target ${link.target} -> ${b.links[i].target}`);
      diffRecords(`${where} link ${i} attributes`, link.attributes, b.links[i].attributes);
    }
  });
}

const metricKey = (m) => `${m.name} ${show(m.attributes)}`;

const A = load(before);
const B = load(after);
for (const file of new Set([...Object.keys(A), ...Object.keys(B)])) {
  if (!A[file] || !B[file]) {
    lines.push(`${file}: only in ${A[file] ? before : after}`);
    continue;
  }
  const scenarios = new Map(B[file].scenarios.map((s) => [s.scenario, s]));
  for (const sa of A[file].scenarios) {
    const where = `${file} [${sa.scenario}]`;
    const sb = scenarios.get(sa.scenario);
    scenarios.delete(sa.scenario);
    if (!sb) {
      lines.push(`${where}: scenario missing after`);
      continue;
    }
    if (sa.outcome !== sb.outcome) lines.push(`${where}: outcome ${sa.outcome} -> ${sb.outcome}`);
    const spansB = new Map(sb.spans.map((s) => [s.label, s]));
    for (const span of sa.spans) {
      const other = spansB.get(span.label);
      spansB.delete(span.label);
      if (!other) lines.push(`${where}: span ${span.label} missing after`);
      else diffSpan(`${where} span ${span.label}`, span, other);
    }
    for (const label of spansB.keys()) lines.push(`${where}: span ${label} new after`);
    const metricsB = new Map(sb.metrics.map((m) => [metricKey(m), m]));
    for (const metric of sa.metrics) {
      const key = metricKey(metric);
      const other = metricsB.get(key);
      metricsB.delete(key);
      if (!other) lines.push(`${where}: metric point missing after: ${key} ${show(metric.count ?? metric.value)}`);
      else if (show(metric) !== show(other)) lines.push(`${where}: metric ${key}: ${show(metric)} -> ${show(other)}`);
    }
    for (const key of metricsB.keys()) lines.push(`${where}: metric point new after: ${key}`);
  }
  for (const name of scenarios.keys()) lines.push(`${file} [${name}]: scenario new after`);
}

// Within each side: an unsampled run must record the same metrics and outcomes as an always-on one.
for (const [dir, snapshots] of [
  [before, A],
  [after, B],
]) {
  for (const [file, snapshot] of Object.entries(snapshots)) {
    if (snapshot.sampler !== 'always_on') continue;
    const unsampled = snapshots[file.replace('always_on', 'parent_ratio')];
    if (!unsampled) continue;
    for (const sa of snapshot.scenarios) {
      const su = unsampled.scenarios.find((s) => s.scenario === sa.scenario);
      if (!su || show(sa.metrics) !== show(su.metrics) || sa.outcome !== su.outcome) {
        lines.push(`${dir}/${file} [${sa.scenario}]: metrics or outcome differ between always_on and parent_ratio`);
      }
    }
  }
}

console.log(lines.length === 0 ? 'no differences' : lines.join('\n'));
process.exit(lines.length === 0 ? 0 : 1);
