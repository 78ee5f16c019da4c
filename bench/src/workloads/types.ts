/** One measured workload: `run(n)` moves n messages; `reset` runs outside the timed region. */
export interface Workload {
  name: string;
  /** Why this workload cannot run against these brokers; the worker skips it. */
  unavailable?: string;
  run(n: number): Promise<void>;
  reset?(): Promise<void>;
}

export interface SystemHarness {
  workloads: Workload[];
  close(): Promise<void>;
}

/** Where the brokers are, as the orchestrator hands it to workers. */
export interface BrokerAddresses {
  kafkaBrokers: string[];
  rabbitMqUrl: string;
  sqsEndpoint: string;
  sqsRegion: string;
  /** The same emulator when it also emulates SNS (fauxqs), else empty. */
  snsEndpoint: string;
}

/** A payload of typical size (~100 bytes); never recorded by any instrumentation. */
export const PAYLOAD = 'x'.repeat(100);

/** Splits 0..n into consecutive chunk sizes of at most `size`. */
export function chunkSizes(n: number, size: number): number[] {
  const sizes: number[] = [];
  for (let done = 0; done < n; done += size) sizes.push(Math.min(size, n - done));
  return sizes;
}

/** Resolves once `count()` reaches `target`, polling cheaply; rejects after `timeoutMs`. */
export function waitForCount(count: () => number, target: number, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = (): void => {
      if (count() >= target) resolve();
      else if (Date.now() > deadline) reject(new Error(`${what}: ${count()} of ${target} after ${timeoutMs} ms`));
      else setTimeout(check, 2);
    };
    check();
  });
}
