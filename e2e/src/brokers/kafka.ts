// Kafka for the e2e suite: librdkafka's mock cluster (a real Kafka
// wire-protocol broker on loopback) via e2e/kafka-mock/kafka-mock.c, compiled
// on first use; or an external cluster named by KAFKA_BROKERS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { spawnLogged, stopGroup, waitForPort } from './process.ts';

export interface RunningKafka {
  /** 'host:port' bootstrap addresses */
  brokers: string[];
  /** 'mock': topics were pre-created; 'external': create topics yourself (admin.createTopics). */
  kind: 'mock' | 'external';
  stop(): Promise<void>;
  /** The mock only: kills the broker process with SIGKILL (a crash: sockets reset, nothing flushed). */
  kill?: () => Promise<void>;
}

export interface KafkaMockOptions {
  topics: Array<{ name: string; partitions: number }>;
  /** number of mock brokers (default 1) */
  brokers?: number;
  timeoutMs?: number;
}

const SOURCE = join(import.meta.dirname, '..', '..', 'kafka-mock', 'kafka-mock.c');
const INSTALL_HINT = 'run: sudo bash scripts/install-broker-deps.sh (installs librdkafka-dev, gcc, pkg-config)';

/** Uses a real cluster when KAFKA_BROKERS=host:port[,host:port] is set. */
export function kafkaFromEnv(): RunningKafka | undefined {
  const raw = process.env.KAFKA_BROKERS?.trim();
  if (!raw) return undefined;
  const brokers = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { brokers, kind: 'external', stop: async () => {} };
}

function cacheDir(): string {
  if (process.env.KAFKA_MOCK_CACHE_DIR) return process.env.KAFKA_MOCK_CACHE_DIR;
  const e2eModules = join(import.meta.dirname, '..', '..', 'node_modules');
  if (existsSync(e2eModules)) return join(e2eModules, '.cache', 'otel-mq-kafka-mock');
  return join(tmpdir(), `otel-mq-kafka-mock-${userInfo().uid}`);
}

function rdkafkaFlags(): string[] {
  try {
    const out = execFileSync('pkg-config', ['--cflags', '--libs', 'rdkafka'], { encoding: 'utf8' });
    return out.trim().split(/\s+/).filter(Boolean);
  } catch {
    if (existsSync('/usr/include/librdkafka/rdkafka_mock.h')) return ['-lrdkafka'];
    throw new Error(`librdkafka development files not found (pkg-config rdkafka failed); ${INSTALL_HINT}`);
  }
}

/** Compiles kafka-mock.c if the cached binary is missing or older than the source. */
export function ensureKafkaMockBinary(): string {
  if (!existsSync(SOURCE)) throw new Error(`kafka mock source missing: ${SOURCE}`);
  const dir = cacheDir();
  const bin = join(dir, 'kafka-mock');
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(SOURCE).mtimeMs) return bin;
  mkdirSync(dir, { recursive: true });
  // Compile to a private name and rename, so parallel test workers never see a half-written binary.
  const tmp = `${bin}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-o', tmp, SOURCE, ...rdkafkaFlags()], { stdio: ['ignore', 'pipe', 'pipe'] });
    renameSync(tmp, bin);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`C compiler 'cc' not found; ${INSTALL_HINT}`, { cause: err });
    throw new Error(`compiling ${SOURCE} failed; ${INSTALL_HINT}\n${e.stderr?.toString() ?? String(err)}`, {
      cause: err,
    });
  }
  return bin;
}

export async function startKafkaMock(opts: KafkaMockOptions): Promise<RunningKafka> {
  const bin = ensureKafkaMockBinary();
  const brokerCount = opts.brokers ?? 1;
  const args = ['-b', String(brokerCount)];
  for (const t of opts.topics) {
    if (!/^[A-Za-z0-9._-]+$/.test(t.name)) throw new Error(`invalid Kafka topic name: ${t.name}`);
    args.push('-t', `${t.name}:${t.partitions}`);
  }
  // stdin stays a pipe: the mock exits on EOF, i.e. when this process dies.
  const proc = spawnLogged(bin, args, { name: 'kafka-mock', stdin: 'pipe' });
  try {
    await proc.waitForLine(/^READY$/m, opts.timeoutMs ?? 10_000);
    const m = proc.logTail(200).match(/^BOOTSTRAP=(.+)$/m);
    if (!m?.[1]) throw new Error(`kafka-mock printed no BOOTSTRAP line:\n${proc.logTail()}`);
    const brokers = m[1].trim().split(',');
    for (const b of brokers) {
      const i = b.lastIndexOf(':');
      await waitForPort(b.slice(0, i), Number(b.slice(i + 1)), { timeoutMs: 5_000, proc });
    }
    let stopped: Promise<void> | undefined;
    return {
      brokers,
      kind: 'mock',
      stop: () => (stopped ??= stopGroup(proc, 5_000)),
      kill: () => (stopped ??= stopGroup(proc, 5_000, 'SIGKILL')),
    };
  } catch (err) {
    await stopGroup(proc, 2_000);
    throw err;
  }
}

/** KAFKA_BROKERS if set, else a fresh mock cluster with the given topics. */
export async function startKafka(opts: KafkaMockOptions): Promise<RunningKafka> {
  return kafkaFromEnv() ?? startKafkaMock(opts);
}
