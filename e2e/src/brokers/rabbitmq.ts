// Starts a private RabbitMQ node (Debian rabbitmq-server) on loopback with its
// own base dir, its own epmd and OS-chosen ports. No root service involved.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnLogged, stopGroup, waitForPort, waitUntil } from './process.ts';
import type { Spawned } from './process.ts';

export interface RunningRabbitMq {
  /** amqp://guest:guest@127.0.0.1:PORT */
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
  /** Kills the node with SIGKILL (a crash: no AMQP close, sockets reset), then cleans up as stop() does. */
  kill(): Promise<void>;
  /**
   * Stops the node (SIGTERM, as `docker stop` would), waits `downMs`, and starts it
   * again on the same port, node name and base directory; resolves once it accepts AMQP again.
   */
  restart(opts?: { downMs?: number }): Promise<void>;
}

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const INSTALL_HINT = 'run: sudo bash scripts/install-broker-deps.sh (installs Debian rabbitmq-server)';
const HOST = '127.0.0.1';

function findEpmd(): string {
  if (existsSync('/usr/bin/epmd')) return '/usr/bin/epmd';
  const erlRoot = '/usr/lib/erlang';
  if (existsSync(erlRoot)) {
    for (const d of readdirSync(erlRoot).filter((n) => n.startsWith('erts-'))) {
      const p = join(erlRoot, d, 'bin', 'epmd');
      if (existsSync(p)) return p;
    }
  }
  throw new Error(`epmd (Erlang) not found; ${INSTALL_HINT}`);
}

/** Removes base dirs left by test processes that were killed before stop() ran. */
function sweepStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const m = /^otel-mq-rabbitmq-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as { code?: string }).code === 'ESRCH') rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Sends the AMQP 0-9-1 protocol header and checks the broker answers with Connection.Start. */
function amqpHandshake(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const finish = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(2000, () => finish(false));
    sock.once('error', () => finish(false));
    sock.once('close', () => finish(false));
    sock.once('connect', () => sock.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1])));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 11) return;
      // method frame (type 1) on channel 0, class 10 (connection), method 10 (start)
      finish(buf[0] === 1 && buf.readUInt16BE(1) === 0 && buf.readUInt16BE(7) === 10 && buf.readUInt16BE(9) === 10);
    });
  });
}

/** Start attempts: a port found free can be taken by another process before RabbitMQ binds it (eaddrinuse). */
const START_ATTEMPTS = 3;

export async function startRabbitMq(opts: { timeoutMs?: number } = {}): Promise<RunningRabbitMq> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} not found: ${INSTALL_HINT}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRabbitMqOnce(opts);
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw error;
      process.stderr.write(
        `[rabbitmq] start attempt ${attempt} failed, retrying on new ports: ${(error as Error).message}\n`,
      );
    }
  }
}

async function startRabbitMqOnce(opts: { timeoutMs?: number }): Promise<RunningRabbitMq> {
  const epmdBin = findEpmd();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  sweepStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), `otel-mq-rabbitmq-${process.pid}-`));
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const nodeName = `otelmq-${process.pid}-${port}@localhost`;

  const conf = join(dir, 'rabbitmq.conf');
  writeFileSync(
    conf,
    [
      `listeners.tcp.1 = ${HOST}:${port}`,
      'loopback_users.guest = true',
      // Temp dirs on CI can be small; do not block publishers on a disk alarm.
      'disk_free_limit.absolute = 1MB',
      'log.console = true',
      'log.console.level = info',
      'log.file = false',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');

  let epmd: Spawned | undefined;
  let server: Spawned | undefined;
  let launch: () => Promise<void> = () => Promise.resolve();
  const cleanup = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (server) await stopGroup(server, 30_000, signal);
    if (epmd) await stopGroup(epmd, 5_000);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Our own epmd, in the foreground, so it is ours to stop (erl's
    // `epmd -daemon` finds the port taken and exits).
    epmd = spawnLogged(epmdBin, ['-port', String(epmdPort), '-address', HOST], {
      name: 'epmd',
      cwd: dir,
      dieWithParent: true,
    });
    await waitForPort(HOST, epmdPort, { timeoutMs: 10_000, proc: epmd });

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HOME: dir, // .erlang.cookie goes here
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: conf,
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_IP_ADDRESS: HOST,
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: HOST,
      ERL_EPMD_PORT: String(epmdPort),
      ERL_CRASH_DUMP: join(dir, 'erl_crash.dump'),
    };
    launch = async () => {
      server = spawnLogged(SERVER, [], { name: 'rabbitmq-server', env, cwd: dir, dieWithParent: true });
      const proc = server;
      await waitForPort(HOST, port, { timeoutMs, proc });
      await waitUntil(`RabbitMQ AMQP handshake on ${HOST}:${port}`, () => amqpHandshake(port), {
        timeoutMs: 15_000,
        intervalMs: 200,
        proc,
      });
    };
    await launch();
  } catch (err) {
    await cleanup().catch(() => {});
    throw new Error(`RabbitMQ (${SERVER}, node ${nodeName}) failed to start: ${(err as Error).message}`, {
      cause: err,
    });
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `amqp://guest:guest@${HOST}:${port}`,
    host: HOST,
    port,
    stop: () => (stopped ??= cleanup()),
    kill: () => (stopped ??= cleanup('SIGKILL')),
    restart: async ({ downMs = 500 } = {}) => {
      if (stopped) throw new Error('RabbitMQ was stopped; it cannot restart');
      if (server) await stopGroup(server, 30_000);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
  };
}
