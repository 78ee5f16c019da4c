// The examples users copy (examples/): the Collector and Compose files checked as far
// as a machine without a Docker engine allows, the environment variables they mention
// checked against what otel-mq documents and reads, and the NodeSDK and ESM examples
// run as users run them (the command in their README, their own folder) against the
// real brokers, with their spans arriving over OTLP.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readEnvConfig } from '@org/otel-mq';
import { parseAllDocuments } from 'yaml';
import { brokersFromEnv, KAFKA_TOPICS } from '../src/environment.ts';
import { E2E_DIR } from '../src/fixture.ts';
import { runNode } from '../src/node-process.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, expectChildOf, expectEnded, findSpan } from '../src/otlp/trace-assertions.ts';

const ROOT = join(E2E_DIR, '..');
const EXAMPLES = join(ROOT, 'examples');
const COLLECTOR_CONFIG = join(EXAMPLES, 'collector', 'otel-collector.yaml');
const COMPOSE_DIR = join(EXAMPLES, 'compose');
const COMPOSE_FILE = join(COMPOSE_DIR, 'docker-compose.yaml');

type Json = Record<string, unknown>;
const obj = (value: unknown, what: string): Json => {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} is not a mapping`);
  return value as Json;
};
const list = (value: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(value), `${what} is not a list`);
  return value;
};
const read = (file: string) => readFileSync(file, 'utf8');
/** The value at a dotted path of mappings: `at(config, 'receivers.otlp.protocols')`. */
const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce((node, key, i, keys) => obj(node, keys.slice(0, i).join('.') || 'document')[key], value);

/** Files under examples/, without installed dependencies. */
function exampleFiles(dir = EXAMPLES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? exampleFiles(path) : [path];
  });
}

/** Parses a YAML file strictly (no duplicate keys, no warnings) into plain values. */
function loadYaml(file: string): unknown {
  const parsed = parseAllDocuments(read(file), { uniqueKeys: true, prettyErrors: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  assert.equal(documents.length, 1, `${relative(ROOT, file)}: expected one YAML document`);
  const [document] = documents;
  assert.deepEqual([...document!.errors, ...document!.warnings].map(String), [], relative(ROOT, file));
  return document!.toJS({ maxAliasCount: 10 });
}

/** `filter/health-checks` → `filter`. */
const typeOf = (componentId: string) => componentId.split('/')[0];

/** A number, or the default of a `${env:NAME:-default}` reference. */
function numberOrEnvDefault(value: unknown): number {
  if (typeof value === 'number') return value;
  const match = /^\$\{env:[A-Z0-9_]+:-([0-9.]+)\}$/.exec(String(value));
  assert.ok(match, `${String(value)} is neither a number nor \${env:NAME:-number}`);
  return Number(match[1]);
}

/** A Go (RE2) regular expression as JavaScript: a leading `(?i)` becomes the `i` flag. */
function goRegExp(pattern: string): RegExp {
  return pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), 'i') : new RegExp(pattern);
}

interface PublishedPort {
  hostIp?: string;
  host: number;
  container: number;
}
/** Short compose port syntax: `[ip:]host:container[/protocol]`. */
function publishedPorts(service: Json): PublishedPort[] {
  return list(service['ports'] ?? [], 'ports').map((entry) => {
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    assert.ok(parts.length === 2 || parts.length === 3, `unsupported port syntax ${String(entry)}`);
    const [container, host] = [Number(parts.at(-1)), Number(parts.at(-2))];
    return parts.length === 3 ? { hostIp: parts[0], host, container } : { host, container };
  });
}

/** `./a:/b:ro` → { source: <absolute path>, target: '/b' } for bind mounts; named volumes are skipped. */
function bindMounts(service: Json): Array<{ source: string; target: string }> {
  return list(service['volumes'] ?? [], 'volumes').flatMap((entry) => {
    const [source = '', target = ''] = String(entry).split(':');
    return source.startsWith('.') || source.startsWith('/') ? [{ source: resolve(COMPOSE_DIR, source), target }] : [];
  });
}

const portOf = (endpoint: unknown) => Number(/:(\d+)$/.exec(String(endpoint))?.[1]);

describe('examples: Collector config', () => {
  const config = obj(loadYaml(COLLECTOR_CONFIG), 'collector config');
  const service = obj(config['service'], 'service');
  const pipelines = Object.entries(obj(service['pipelines'], 'service.pipelines')).map(([id, pipeline]) => {
    const p = obj(pipeline, `pipeline ${id}`);
    const names = (key: string) => list(p[key] ?? [], `${id}.${key}`).map(String);
    return { id, receivers: names('receivers'), processors: names('processors'), exporters: names('exporters') };
  });
  const section = (name: string) => obj(config[name] ?? {}, name);
  const processors = section('processors');
  const traces = pipelines.find((pipeline) => pipeline.id === 'traces');

  it('every YAML file under examples/ parses (one document, no duplicate keys)', () => {
    const files = exampleFiles().filter((file) => /\.ya?ml$/.test(file));
    assert.ok(files.length >= 4, `YAML files: ${files.join(', ')}`);
    for (const file of files) loadYaml(file);
  });

  it('has traces and metrics pipelines whose every component is defined, and no unused component', () => {
    assert.deepEqual(pipelines.map((pipeline) => typeOf(pipeline.id)).sort(), ['metrics', 'traces']);
    const used = new Set<string>();
    for (const pipeline of pipelines)
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        assert.ok(pipeline[kind].length > 0, `${pipeline.id} has no ${kind}`);
        for (const id of pipeline[kind]) {
          assert.ok(id in section(kind), `${pipeline.id} names ${kind.slice(0, -1)} '${id}', which is not defined`);
          used.add(`${kind}:${id}`);
        }
      }
    for (const id of list(service['extensions'] ?? [], 'service.extensions').map(String)) {
      assert.ok(id in section('extensions'), `service names extension '${id}', which is not defined`);
      used.add(`extensions:${id}`);
    }
    for (const kind of ['receivers', 'processors', 'exporters', 'extensions'])
      for (const id of Object.keys(section(kind))) assert.ok(used.has(`${kind}:${id}`), `${kind}.${id} is unused`);
  });

  it('runs memory_limiter first and batch last in every pipeline, and drops and redacts before tail sampling', () => {
    for (const pipeline of pipelines) {
      assert.equal(
        typeOf(pipeline.processors[0]!),
        'memory_limiter',
        `${pipeline.id}: ${pipeline.processors.join(', ')}`,
      );
      assert.equal(typeOf(pipeline.processors.at(-1)!), 'batch', `${pipeline.id}: ${pipeline.processors.join(', ')}`);
    }
    assert.ok(traces);
    const position = (type: string) => traces.processors.findIndex((id) => typeOf(id) === type);
    for (const type of ['resource', 'filter', 'attributes', 'redaction', 'tail_sampling'])
      assert.ok(position(type) > 0, `the traces pipeline has no ${type} processor: ${traces.processors.join(', ')}`);
    for (const type of ['filter', 'attributes', 'redaction'])
      assert.ok(
        position(type) < position('tail_sampling'),
        `${type} runs after tail_sampling: ${traces.processors.join(', ')}`,
      );
  });

  it('tail sampling keeps every error trace and every slow trace, and samples the rest', () => {
    assert.ok(traces);
    const id = traces.processors.find((name) => typeOf(name) === 'tail_sampling');
    const policies = list(obj(processors[id!], id!)['policies'], 'policies').map((policy) => obj(policy, 'policy'));
    // Top-level policies are alternatives: any one deciding "sample" keeps the trace.
    const ofType = (type: string) => policies.find((policy) => policy['type'] === type);
    const statusCode = obj(ofType('status_code')?.['status_code'], 'status_code policy');
    const codes = list(statusCode['status_codes'], 'status_codes');
    assert.ok(codes.includes('ERROR'), `the status_code policy keeps ${codes.join(', ')}, not ERROR`);
    const latency = obj(ofType('latency')?.['latency'], 'latency policy');
    assert.ok(Number(latency['threshold_ms']) > 0, `latency threshold ${String(latency['threshold_ms'])}`);
    const probabilistic = obj(ofType('probabilistic')?.['probabilistic'], 'probabilistic policy');
    const percentage = numberOrEnvDefault(probabilistic['sampling_percentage']);
    assert.ok(percentage > 0 && percentage < 100, `samples ${percentage} % of the rest`);
  });

  it('enriches, drops health checks, and redacts the personal data and credentials otel-mq can record', () => {
    const ofType = (type: string) =>
      Object.entries(processors)
        .filter(([id]) => typeOf(id) === type)
        .map(([, value]) => obj(value, type));
    const resourceKeys = ofType('resource').flatMap((p) =>
      list(p['attributes'], 'attributes').map((a) => obj(a, 'a')['key']),
    );
    assert.ok(resourceKeys.includes('deployment.environment.name'), `resource keys: ${resourceKeys.join(', ')}`);
    const conditions = ofType('filter').flatMap((p) => list(p['trace_conditions'] ?? [], 'trace_conditions'));
    assert.ok(
      conditions.some((condition) => /health/.test(String(condition))),
      'no health-check condition',
    );

    // The attribute names must be ones the plugins actually emit.
    const requireFromOtelMq = createRequire(join(ROOT, 'packages', 'otel-mq', 'package.json'));
    const semconv = requireFromOtelMq('@org/messaging-propagation') as Record<string, unknown>;
    const emitted = new Set(
      Object.entries(semconv).flatMap(([name, value]) => (name.startsWith('ATTR_') ? [value] : [])),
    );
    const actions = ofType('attributes').flatMap((p) => list(p['actions'], 'actions').map((a) => obj(a, 'action')));
    for (const key of ['kafka.message.key', 'messaging.kafka.message.key', 'messaging.message.conversation_id']) {
      assert.ok(emitted.has(key), `${key} is not an attribute name of @org/messaging-propagation`);
      const action = actions.find((candidate) => candidate['key'] === key);
      assert.ok(action && ['delete', 'hash'].includes(String(action['action'])), `${key} is not deleted or hashed`);
    }
    const patterns = actions.flatMap((action) =>
      typeof action['pattern'] === 'string' ? [goRegExp(action['pattern'])] : [],
    );
    for (const key of ['password', 'db.password', 'messaging.rabbitmq.password', 'client.secret'])
      assert.ok(
        patterns.some((pattern) => pattern.test(key)),
        `no attributes pattern removes ${key}`,
      );
    assert.ok(!patterns.some((pattern) => pattern.test('messaging.destination.name')), 'a pattern removes real data');

    const blocked = ofType('redaction').flatMap((p) => list(p['blocked_values'], 'blocked_values').map(String));
    const masks = (value: string) => blocked.some((pattern) => goRegExp(pattern).test(value));
    assert.ok(masks('amqp://shop:s3cret@rabbit.internal:5672/orders'), 'AMQP URL credentials are not masked');
    assert.ok(masks('https://user:pass@sqs.example.com/queue'), 'HTTPS URL credentials are not masked');
    assert.ok(!masks('amqp://rabbit.internal:5672/orders'), 'a URL without credentials is masked');
  });

  it('exports traces over OTLP/gRPC to the Tempo of the compose stack', () => {
    const tempoExporter = Object.entries(section('exporters')).find(([id]) =>
      ['otlp_grpc', 'otlp'].includes(typeOf(id)!),
    );
    assert.ok(tempoExporter, 'no OTLP/gRPC exporter');
    assert.ok(traces?.exporters.includes(tempoExporter[0]), 'the traces pipeline does not export to it');
    const endpoint = String(obj(tempoExporter[1], 'exporter')['endpoint']);
    const [host, port] = endpoint.split(':');
    const compose = obj(at(loadYaml(COMPOSE_FILE), 'services'), 'services');
    assert.ok(host! in compose, `exporter endpoint ${endpoint} names no compose service`);
    const tempoEndpoint = at(
      loadYaml(join(COMPOSE_DIR, 'tempo.yaml')),
      'distributor.receivers.otlp.protocols.grpc.endpoint',
    );
    assert.equal(portOf(tempoEndpoint), Number(port), `Tempo listens for OTLP/gRPC on ${String(tempoEndpoint)}`);
  });
});

describe('examples: Compose stack', () => {
  const compose = obj(loadYaml(COMPOSE_FILE), 'compose');
  const services = obj(compose['services'], 'services');
  const serviceNamed = (name: string) => obj(services[name], `service ${name}`);
  const otlpHttpPort = portOf(at(loadYaml(COLLECTOR_CONFIG), 'receivers.otlp.protocols.http.endpoint'));

  it('has the brokers, the Collector, Tempo and Grafana, every image pinned to a version', () => {
    for (const name of ['kafka', 'rabbitmq', 'localstack', 'otel-collector', 'tempo', 'grafana'])
      assert.ok(name in services, `no ${name} service`);
    for (const [name, service] of Object.entries(services)) {
      const image = String(obj(service, name)['image']);
      const tag = /^[^@]+:([^:/@]+)(@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
      assert.ok(tag && tag !== 'latest' && /\d/.test(tag), `${name}: image ${image} is not pinned to a version`);
    }
  });

  it('mounts the Collector config it runs and publishes the OTLP ports the examples point at', () => {
    const collector = serviceNamed('otel-collector');
    const mount = bindMounts(collector).find((candidate) => candidate.source === COLLECTOR_CONFIG);
    assert.ok(mount, `${relative(ROOT, COLLECTOR_CONFIG)} is not mounted into the Collector`);
    const command = list(collector['command'] ?? [], 'command')
      .map(String)
      .join(' ');
    assert.ok(command.includes(`--config=${mount.target}`), `the Collector runs '${command}', not ${mount.target}`);
    const ports = publishedPorts(collector);
    assert.ok(
      ports.some((port) => port.host === 4318 && port.container === otlpHttpPort),
      'OTLP/HTTP 4318 is not published',
    );
    assert.ok(
      ports.some((port) => port.host === 4317),
      'OTLP/gRPC 4317 is not published',
    );
    for (const [name, service] of Object.entries(services))
      for (const { source } of bindMounts(obj(service, name)))
        assert.ok(existsSync(source), `${name} mounts ${relative(ROOT, source)}, which does not exist`);
  });

  it('provisions Tempo as a Grafana data source at the port Tempo serves queries on', () => {
    const provisioning = bindMounts(serviceNamed('grafana')).find(
      (mount) => mount.target === '/etc/grafana/provisioning/datasources',
    );
    assert.ok(provisioning, 'no data source provisioning is mounted into Grafana');
    const tempoPort = at(loadYaml(join(COMPOSE_DIR, 'tempo.yaml')), 'server.http_listen_port');
    const sources = readdirSync(provisioning.source).flatMap((file) =>
      list(obj(loadYaml(join(provisioning.source, file)), file)['datasources'], 'datasources'),
    );
    const tempo = sources.map((source) => obj(source, 'datasource')).find((source) => source['type'] === 'tempo');
    assert.equal(tempo?.['url'], `http://tempo:${String(tempoPort)}`);
    assert.ok(
      publishedPorts(serviceNamed('grafana')).some((port) => port.host === 3000),
      'Grafana is not on 3000',
    );
  });

  it('serves the brokers at the addresses the examples default to', () => {
    const examplesSource = ['nodesdk/app.cjs', 'esm/app.mjs'].map((file) => read(join(EXAMPLES, file))).join('\n');
    const defaults = (name: string) =>
      [...examplesSource.matchAll(new RegExp(`process\\.env\\.${name} \\?\\? '([^']+)'`, 'g'))].map(
        (match) => match[1]!,
      );
    for (const url of defaults('RABBITMQ_URL')) {
      const { username, password, port } = new URL(url);
      const rabbit = serviceNamed('rabbitmq');
      const environment = obj(rabbit['environment'], 'rabbitmq.environment');
      assert.deepEqual(
        [username, password],
        [environment['RABBITMQ_DEFAULT_USER'], environment['RABBITMQ_DEFAULT_PASS']],
      );
      assert.ok(
        publishedPorts(rabbit).some((p) => p.host === Number(port)),
        `RabbitMQ is not on ${port}`,
      );
    }
    for (const brokers of defaults('KAFKA_BROKERS')) {
      const kafka = serviceNamed('kafka');
      const advertised = String(at(kafka, 'environment.KAFKA_ADVERTISED_LISTENERS'));
      for (const broker of brokers.split(',')) {
        assert.ok(advertised.includes(`//${broker}`), `Kafka does not advertise ${broker}: ${advertised}`);
        assert.ok(
          publishedPorts(kafka).some((p) => p.host === portOf(broker)),
          `Kafka is not on ${broker}`,
        );
      }
    }
    assert.ok(
      publishedPorts(serviceNamed('localstack')).some((port) => port.host === 4566),
      'SQS is not on 4566',
    );
  });

  it('mentions only OTEL_* variables otel-mq documents and reads, with endpoints the stack serves', () => {
    const documented = ['otel-mq', 'instrumentation-kafkajs', 'instrumentation-amqplib', 'instrumentation-aws-sqs']
      .map((pkg) => read(join(ROOT, 'packages', pkg, 'README.md')))
      .join('\n');
    const texts = exampleFiles()
      .filter((file) => /\.(md|ya?ml|cjs|mjs|json)$/.test(file))
      .map((file) => ({ file: relative(ROOT, file), text: read(file) }));
    const mentioned = new Set(
      texts.flatMap(({ text }) => [...text.matchAll(/\bOTEL_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0])),
    );
    assert.ok(mentioned.has('OTEL_EXPORTER_OTLP_ENDPOINT'), [...mentioned].join(', '));
    const baseline = readEnvConfig({});
    for (const name of mentioned) {
      assert.ok(documented.includes(`\`${name}\``), `${name} is not documented in the package READMEs`);
      // otel-mq's own variables must also change what the register entry reads.
      if (/^OTEL_(MQ|NODE)_/.test(name))
        assert.ok(
          ['not-a-value', 'false', 'link', 'kafkajs'].some(
            (value) => JSON.stringify(readEnvConfig({ [name]: value })) !== JSON.stringify(baseline),
          ),
          `readEnvConfig ignores ${name}`,
        );
    }
    // The demo forwards to OTEL_EXPORTER_OTLP_ENDPOINT over OTLP/HTTP; examples and READMEs
    // must point it at the Collector's published OTLP/HTTP port.
    assert.match(read(join(ROOT, 'demo', 'src', 'run-demo.ts')), /OTEL_EXPORTER_OTLP_ENDPOINT/);
    const collectorPorts = publishedPorts(serviceNamed('otel-collector'));
    const endpoints = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/OTEL_EXPORTER_OTLP_ENDPOINT[=` (a-z]+`?(https?:\/\/[^\s`)<]+)/g)].map((m) => ({
        file,
        url: m[1]!,
      })),
    );
    assert.ok(endpoints.length > 0, 'no example sets OTEL_EXPORTER_OTLP_ENDPOINT');
    for (const { file, url } of endpoints) {
      const { hostname, port } = new URL(url);
      assert.equal(hostname, 'localhost', `${file}: ${url}`);
      assert.ok(
        collectorPorts.some((p) => p.host === Number(port) && p.container === otlpHttpPort),
        `${file}: ${url} is not the Collector's OTLP/HTTP port`,
      );
    }
  });
});

/** Runs `node <args>` in an example's folder, as its README says, exporting to `receiver`. */
function runExample(folder: string, args: string[], receiver: OtlpReceiver, env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
  return runNode({
    args,
    cwd: join(EXAMPLES, folder),
    timeoutMs: 90_000,
    env: {
      ...inherited,
      OTEL_SERVICE_NAME: `example-${folder}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
}

/** The command of the README's run section, checked to be the one the test runs. */
function readmeCommand(folder: string, command: string): string[] {
  const readme = read(join(EXAMPLES, folder, 'README.md'));
  assert.ok(readme.includes(`\`\`\`sh\n${command}\n\`\`\``), `examples/${folder}/README.md does not say '${command}'`);
  const [node, ...args] = command.split(' ');
  assert.equal(node, 'node');
  return args;
}

describe('examples: run against the real brokers', () => {
  const brokers = brokersFromEnv();
  // A topic no other test produces to: the example's consumer reads it from the beginning.
  const topic = KAFKA_TOPICS[1].name;
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const expectNoCredentials = (spans: ReceivedSpan[]) => {
    const { username, password } = new URL(brokers.rabbitmqUrl);
    const values = spans.flatMap((span) => Object.values(span.attributes).map((value) => JSON.stringify(value)));
    assert.ok(!values.some((value) => value.includes(`${username}:${password}@`)), 'a span carries broker credentials');
  };

  it('nodesdk: one trace from the Kafka send to the RabbitMQ consumer, with the options tracing.cjs sets', async () => {
    receiver.clear();
    const args = readmeCommand('nodesdk', 'node --require ./tracing.cjs app.cjs');
    const run = await runExample('nodesdk', args, receiver, {
      KAFKA_BROKERS: brokers.kafkaBrokers,
      KAFKA_TOPIC: topic,
      RABBITMQ_URL: brokers.rabbitmqUrl,
    });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /went through Kafka .* and RabbitMQ .*: accepted/);

    const spans = await receiver.waitForSpans((received) =>
      received.some((span) => span.kind === 'CONSUMER' && span.name.startsWith('process shop.events:order.accepted')),
    );
    const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
    const kafkaProcess = findSpan(spans, { name: `process ${topic}`, kind: 'CONSUMER' });
    const publish = findSpan(spans, { name: 'publish shop.events:order.accepted', kind: 'PRODUCER' });
    const rabbitProcess = findSpan(spans, { name: /^process shop\.events:order\.accepted:/, kind: 'CONSUMER' });
    expectChildOf(kafkaProcess, send);
    expectChildOf(publish, kafkaProcess);
    expectChildOf(rabbitProcess, publish);
    for (const span of [send, kafkaProcess, publish, rabbitProcess]) {
      expectEnded(span);
      assert.equal(span.resource['service.name'], 'example-nodesdk');
    }
    // getMessagingInstrumentations({ kafkajs: { captureMessageKey: false } }) took effect ...
    expectAttributes(send, { 'messaging.system.name': 'kafka', 'kafka.message.key': undefined });
    // ... and so did new AmqplibInstrumentation({ captureBodySize: true, publishHook }).
    expectAttributes(publish, {
      'messaging.system.name': 'rabbitmq',
      'messaging.message.body.size': (value) => typeof value === 'number' && value > 0,
      'app.event.type': 'order.accepted',
    });
    expectNoCredentials(spans);
  });

  it('esm: `node --import @org/otel-mq/register` traces an ES module app from publish to consumer', async () => {
    receiver.clear();
    const args = readmeCommand('esm', 'node --import @org/otel-mq/register app.mjs');
    const run = await runExample('esm', args, receiver, { RABBITMQ_URL: brokers.rabbitmqUrl });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /shipped with parcel-co/);

    const spans = await receiver.waitForSpans((received) =>
      received.some((span) => span.kind === 'CONSUMER' && span.name.startsWith('process shop.events:order.shipped')),
    );
    const publish = findSpan(spans, { name: 'publish shop.events:order.shipped', kind: 'PRODUCER' });
    const process = findSpan(spans, { name: /^process shop\.events:order\.shipped:shipping-\d+$/, kind: 'CONSUMER' });
    expectChildOf(process, publish);
    for (const span of [publish, process]) {
      expectEnded(span);
      assert.equal(span.resource['service.name'], 'example-esm');
      assert.equal(span.attributes['messaging.system.name'], 'rabbitmq');
    }
    // Patched through the ESM loader hook by the plugin the register entry loaded.
    assert.equal(process.scope.name, '@org/instrumentation-amqplib');
    expectNoCredentials(spans);
  });
});
