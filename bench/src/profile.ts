// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function
// and by code area, so the hot paths of an instrumentation stand out.

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

/** The code area a script URL belongs to, for the by-area summary. */
export function codeArea(url: string): string {
  if (url === '') return '(V8/native: GC, idle, program)';
  if (url.startsWith('node:')) return 'node core';
  const ours = /packages\/(messaging-propagation|instrumentation-[a-z-]+|otel-mq)\//.exec(url);
  if (ours) return `ours: @org/${ours[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.includes('/bench/')) return 'bench harness';
  return url;
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const p = url.indexOf('packages/');
  if (p >= 0) return url.slice(p);
  return url.replace(/^file:\/\//, '');
}

/** Self time per function and per code area, largest first. */
export function summarizeProfile(
  profile: CpuProfile,
  top = 30,
): { functions: HotSpot[]; areas: HotSpot[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    for (let i = 0; i < samples.length; i++) {
      const id = samples[i] as number;
      selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
    }
  } else {
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * 1000);
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
    const area = codeArea(url);
    areas.set(area, (areas.get(area) ?? 0) + us);
    total += us;
  }
  const rank = (map: Map<string, number>, limit: number): HotSpot[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
  return { functions: rank(functions, top), areas: rank(areas, top), totalMs: total / 1000 };
}
