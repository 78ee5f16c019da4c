// Renders a benchmark report as the BENCHMARKS.md tables and an SVG chart of
// the ratios. Pure string building, checked by test/render.test.ts.
import type { MicroResult } from './micro.ts';
import type { FloorResult } from './sdk-floor.ts';
import { OVERHEAD_RATIO_GOAL, steadySlope, THROUGHPUT_RATIO_GOAL } from './stats.ts';
import type { CellSummary } from './stats.ts';

export interface SoakSummary {
  system: string;
  variant: string;
  workload: string;
  messages: number;
  /** heap after GC after the warm-up and after the last chunk, bytes */
  startHeap: number;
  endHeap: number;
  /** steady-state growth: slope of heap after GC over the second half of the soak, bytes per message */
  bytesPerMessage: number;
  /** heap after GC (bytes) after the warm-up and after each chunk, against messages processed */
  points: Array<{ x: number; y: number }>;
}

export function summarizeSoak(
  system: string,
  variant: string,
  workload: string,
  points: Array<{ x: number; y: number }>,
): SoakSummary {
  const first = points[0] as { x: number; y: number };
  const last = points.at(-1) as { x: number; y: number };
  return {
    system,
    variant,
    workload,
    messages: last.x,
    startHeap: first.y,
    endHeap: last.y,
    bytesPerMessage: steadySlope(points),
    points,
  };
}

export interface BenchReport {
  date: string;
  quick: boolean;
  rounds: number;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: number[]; sqsEmulator: string };
  versions: Record<string, string>;
  cells: CellSummary[];
  soak: SoakSummary[];
  micro: MicroResult[];
  /** SDK calls alone, per message (reports from before it existed have none) */
  sdkFloor?: FloorResult[];
  failures: string[];
}

/** A number for a table: `digits` decimals, `n/a` when not finite. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

const mb = (bytes: number): string => fmt(bytes / 1_048_576, 1);

/** ✅ when `ok`, ❌ when not, – when the figure is missing. */
function mark(value: number, ok: (value: number) => boolean): string {
  if (!Number.isFinite(value)) return '–';
  return ok(value) ? '✅' : '❌';
}

export function overheadGoalMet(cell: CellSummary): boolean | undefined {
  const goal = OVERHEAD_RATIO_GOAL[cell.sampling];
  if (goal === undefined || !Number.isFinite(cell.overheadRatio)) return undefined;
  return cell.overheadRatio <= goal;
}

const bytes = (sample: { bytesPerMsg?: number }): string => fmt(sample.bytesPerMsg ?? Number.NaN, 0);

/** The tracing-alone cell measured beside a with-metrics one. */
function tracingTwin(cell: CellSummary, tracing: readonly CellSummary[]): CellSummary | undefined {
  return tracing.find((t) => t.system === cell.system && t.workload === cell.workload && t.sampling === cell.sampling);
}

/**
 * The results table. `tracing`: for a with-metrics table, the tracing-alone cells
 * of the same run, so a column shows what the metrics add to each overhead.
 */
export function renderResultsTable(cells: readonly CellSummary[], tracing?: readonly CellSummary[]): string {
  const metricsColumn = tracing !== undefined;
  const lines = [
    '| system | workload | sampling | CPU µs/msg none / upstream / ours | overhead µs/msg upstream / ours | ours ÷ upstream overhead |' +
      (metricsColumn ? ' metrics add µs/msg upstream / ours |' : '') +
      ' allocated bytes/msg none / upstream / ours | msgs/s none / upstream / ours | throughput ÷ none: ours (upstream) | heap after GC MB none / upstream / ours |',
    `| --- | --- | --- | --- | --- | --- |${metricsColumn ? ' --- |' : ''} --- | --- | --- | --- |`,
  ];
  for (const cell of cells) {
    const { uninstrumented: none, upstream, ours } = cell.median;
    const goal = OVERHEAD_RATIO_GOAL[cell.sampling];
    const ratioMark = goal === undefined ? '' : ` ${mark(cell.overheadRatio, (v) => v <= goal)}`;
    const twin = tracing ? tracingTwin(cell, tracing) : undefined;
    const metricsCost = twin
      ? ` ${fmt(cell.overheadUs.upstream - twin.overheadUs.upstream)} / ${fmt(cell.overheadUs.ours - twin.overheadUs.ours)} |`
      : metricsColumn
        ? ' n/a |'
        : '';
    lines.push(
      `| ${cell.system} | ${cell.workload} | ${cell.sampling} | ${fmt(none.cpuUsPerMsg)} / ${fmt(upstream.cpuUsPerMsg)} / ${fmt(ours.cpuUsPerMsg)}` +
        ` | ${fmt(cell.overheadUs.upstream)} / ${fmt(cell.overheadUs.ours)} | ${fmt(cell.overheadRatio, 2)}${ratioMark} |` +
        metricsCost +
        ` ${bytes(none)} / ${bytes(upstream)} / ${bytes(ours)}` +
        ` | ${fmt(none.msgsPerSec, 0)} / ${fmt(upstream.msgsPerSec, 0)} / ${fmt(ours.msgsPerSec, 0)}` +
        ` | ${fmt(cell.throughputRatio, 2)} ${mark(cell.throughputRatio, (v) => v >= THROUGHPUT_RATIO_GOAL)} (${fmt(cell.upstreamThroughputRatio, 2)})` +
        ` | ${mb(none.heapAfterGc)} / ${mb(upstream.heapAfterGc)} / ${mb(ours.heapAfterGc)} |`,
    );
  }
  return lines.join('\n');
}

export function renderSoakTable(soak: readonly SoakSummary[]): string {
  const lines = [
    '| system | variant | workload | messages | heap after GC after warm-up → end, MB | steady-state slope, bytes/msg |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of soak) {
    lines.push(
      `| ${s.system} | ${s.variant} | ${s.workload} | ${s.messages} | ${mb(s.startHeap)} → ${mb(s.endHeap)} | ${fmt(s.bytesPerMessage, 2)} |`,
    );
  }
  return lines.join('\n');
}

export function renderMicroTable(micro: readonly MicroResult[]): string {
  const lines = [
    '| carrier | operation | ours, ns/op | upstream, ns/op | ours ÷ upstream | upstream side |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of micro) {
    lines.push(
      `| ${m.carrier} | ${m.operation} | ${fmt(m.ours, 0)} | ${fmt(m.upstream, 0)} | ${fmt(m.ours / m.upstream, 2)} | ${m.upstreamKind} |`,
    );
  }
  return lines.join('\n');
}

export function renderFloorTable(floor: readonly FloorResult[]): string {
  const lines = ['| SDK call | always-on, ns | parent-based 10%, ns |', '| --- | --- | --- |'];
  for (const f of floor) lines.push(`| ${f.call} | ${fmt(f.alwaysOn, 0)} | ${fmt(f.tenPercent, 0)} |`);
  return lines.join('\n');
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Two panels of horizontal bars, one row per (system, workload, sampling):
 * ours ÷ upstream CPU overhead with the goal marked, and throughput ÷
 * uninstrumented for ours and upstream with the 0.9 goal marked.
 */
export function renderRatioSvg(cells: readonly CellSummary[], title: string): string {
  const rowHeight = 22;
  const labelWidth = 330;
  const panelWidth = 300;
  const gap = 40;
  const top = 60;
  const height = top + cells.length * rowHeight + 50;
  const width = labelWidth + 2 * panelWidth + gap + 20;
  const maxOverhead = 2;
  const maxThroughput = 1.2;
  const x1 = (v: number): number => labelWidth + (Math.min(Math.max(v, 0), maxOverhead) / maxOverhead) * panelWidth;
  const x2 = (v: number): number =>
    labelWidth + panelWidth + gap + (Math.min(Math.max(v, 0), maxThroughput) / maxThroughput) * panelWidth;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${labelWidth}" y="${top - 12}">ours ÷ upstream CPU overhead per message (lower is better)</text>`,
    `<text x="${labelWidth + panelWidth + gap}" y="${top - 12}">throughput ÷ uninstrumented (higher is better)</text>`,
  ];
  cells.forEach((cell, i) => {
    const y = top + i * rowHeight;
    const label = `${cell.system} · ${cell.workload} · ${cell.sampling}`;
    out.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(label)}</text>`);
    const goal = OVERHEAD_RATIO_GOAL[cell.sampling];
    const met = overheadGoalMet(cell);
    if (Number.isFinite(cell.overheadRatio)) {
      const fill = met === false ? '#d9534f' : '#5cb85c';
      out.push(
        `<rect x="${labelWidth}" y="${y + 3}" width="${(x1(cell.overheadRatio) - labelWidth).toFixed(1)}" height="14" fill="${fill}"/>`,
      );
      out.push(
        `<text x="${(x1(cell.overheadRatio) + 4).toFixed(1)}" y="${y + 14}">${fmt(cell.overheadRatio, 2)}</text>`,
      );
    } else {
      out.push(`<text x="${labelWidth + 4}" y="${y + 14}" fill="#888">n/a</text>`);
    }
    if (goal !== undefined) {
      out.push(
        `<line x1="${x1(goal).toFixed(1)}" x2="${x1(goal).toFixed(1)}" y1="${y + 1}" y2="${y + 19}" stroke="#000" stroke-dasharray="3,2"/>`,
      );
    }
    const base = labelWidth + panelWidth + gap;
    const bars: Array<[number, string]> = [
      [cell.throughputRatio, cell.throughputRatio >= THROUGHPUT_RATIO_GOAL ? '#5cb85c' : '#d9534f'],
      [cell.upstreamThroughputRatio, '#999'],
    ];
    bars.forEach(([value, fill], j) => {
      if (!Number.isFinite(value)) return;
      out.push(
        `<rect x="${base}" y="${y + 3 + j * 7}" width="${(x2(value) - base).toFixed(1)}" height="7" fill="${fill}"/>`,
      );
    });
    if (Number.isFinite(cell.throughputRatio)) {
      out.push(
        `<text x="${(x2(Math.max(cell.throughputRatio, cell.upstreamThroughputRatio || 0)) + 4).toFixed(1)}" y="${y + 14}">${fmt(cell.throughputRatio, 2)}</text>`,
      );
    }
  });
  const goalX = x2(THROUGHPUT_RATIO_GOAL).toFixed(1);
  const bottom = top + cells.length * rowHeight;
  out.push(`<line x1="${goalX}" x2="${goalX}" y1="${top - 4}" y2="${bottom}" stroke="#000" stroke-dasharray="3,2"/>`);
  out.push(`<line x1="${x1(1).toFixed(1)}" x2="${x1(1).toFixed(1)}" y1="${top - 4}" y2="${bottom}" stroke="#bbb"/>`);
  out.push(
    `<text x="10" y="${bottom + 20}" fill="#444">Bars: green meets the goal, red misses it; dashed lines: goals (overhead ratio 0.5 always-on, 0.2 parent-10%; throughput 0.9). Grey bar: upstream throughput.</text>`,
    `<text x="10" y="${bottom + 38}" fill="#444">Overhead = instrumented − uninstrumented client CPU per message (paired medians over rounds). Ratios above ${maxOverhead} are drawn at ${maxOverhead}.</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}
