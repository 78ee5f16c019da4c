// Starts the demo's four services the way a user runs theirs: plain Node
// processes with `--require @org/otel-mq/register`, configured by OTEL_* env vars.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface DemoOrder {
  id: string;
  customer: string;
  item: string;
  country: string;
  address: string;
}

interface ServicesOptions {
  cwd: string;
  receiverEndpoint: string;
  env: Record<string, string>;
  /** @default 90_000 */
  timeoutMs?: number;
}

/** The consumers first (each says READY), then the order API; resolves when all four have exited cleanly. */
export async function runServices({ cwd, receiverEndpoint, env, timeoutMs = 90_000 }: ServicesOptions): Promise<void> {
  const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')),
  );
  const children: ChildProcess[] = [];
  const start = (service: string) =>
    // Resolves with `{ exited }` once the service is READY (a bare promise would be adopted, not returned).
    new Promise<{ exited: Promise<void> }>((ready, fail) => {
      // kafkajs 2.2.4 schedules negative timeouts, which Node ≥ 23 warns about on every run
      // (tulios/kafkajs#1751): noise unrelated to the demo.
      const flags = ['--disable-warning=TimeoutNegativeWarning', '--require', '@org/otel-mq/register'];
      const child = spawn(process.execPath, [...flags, `app/${service}.cjs`], {
        cwd,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...childEnv,
          ...env,
          OTEL_SERVICE_NAME: service,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiverEndpoint,
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          OTEL_BSP_SCHEDULE_DELAY: '200',
        },
      });
      children.push(child);
      let buffered = '';
      const exited = new Promise<void>((done, failed) => {
        child.once('exit', (code, signal) =>
          code === 0 ? done() : failed(new Error(`${service} exited with ${signal ?? `code ${code}`}`)),
        );
      });
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line === 'READY') ready({ exited });
          else process.stderr.write(`  ${line}\n`);
        }
      });
      child.once('error', fail);
      exited.then(() => ready({ exited }), fail);
    });
  const timer = setTimeout(() => {
    for (const child of children) child.kill('SIGTERM');
  }, timeoutMs);
  try {
    // The consumers start side by side (each binds or subscribes before it says READY); orders go out after.
    const consumers = await Promise.all(['shipping-worker', 'fulfilment-service', 'inventory-service'].map(start));
    const orderApi = await start('order-api');
    await Promise.all([orderApi, ...consumers].map((service) => service.exited));
  } finally {
    clearTimeout(timer);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
