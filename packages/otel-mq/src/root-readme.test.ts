// The project README (the front door) against the code and the plugin READMEs,
// whose own tables are tested against their code: every span name, option and
// environment variable it mentions must exist where it points.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pluginEnvName } from './env';
import { MESSAGING_PLUGIN_NAMES, PLUGIN_ENV_FLAGS } from './plugins';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const PLUGINS = {
  kafkajs: 'packages/instrumentation-kafkajs',
  amqplib: 'packages/instrumentation-amqplib',
  'aws-sqs': 'packages/instrumentation-aws-sqs',
  'confluent-kafka': 'packages/instrumentation-confluent-kafka',
} as const;

function section(heading: string): string {
  return readme.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
}

function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| -'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');

describe('the project README', () => {
  it('lists every published package in its Packages table', () => {
    const listed = rows(section('Packages')).flatMap(([name]) => codeSpans(name ?? ''));
    const published = readdirSync(join(ROOT, 'packages'))
      .map((dir) => JSON.parse(read(`packages/${dir}/package.json`)) as { name: string; private?: boolean })
      .filter((manifest) => !manifest.private)
      .map((manifest) => manifest.name);
    expect(published.length).toBeGreaterThanOrEqual(6);
    expect([...listed].sort()).toEqual([...published].sort());
  });

  it('names only spans that each plugin README documents', () => {
    const table = rows(section('Three ways to turn it on')).filter(([plugin]) => plugin && plugin in PLUGINS);
    expect(table.map(([plugin]) => plugin)).toEqual(Object.keys(PLUGINS));
    for (const [plugin, ...cells] of table) {
      const pluginReadme = read(`${PLUGINS[plugin as keyof typeof PLUGINS]}/README.md`);
      for (const name of cells.flatMap(codeSpans).filter((text) => /^[a-z_]+ \{/.test(text))) {
        expect(`${plugin}: ${name} ${pluginReadme.includes(name)}`).toBe(`${plugin}: ${name} true`);
      }
    }
  });

  it("names only options that exist in the plugins' config types", () => {
    const options = new Set(
      Object.values(PLUGINS).flatMap((dir) =>
        [...read(`${dir}/src/types.ts`).matchAll(/^ {2}(\w+)\?:/gm)].map((match) => match[1]),
      ),
    );
    const migration = rows(section('Migrating from the upstream instrumentations'));
    const ours = migration
      .flatMap(([, otelMq]) => codeSpans(otelMq ?? ''))
      .filter((text) => /^[a-z]+[A-Z][A-Za-z]*$/.test(text)); // camelCase option names
    expect(ours.length).toBeGreaterThan(5);
    for (const option of ours) expect(`${option}: ${options.has(option)}`).toBe(`${option}: true`);
  });

  it('mentions only environment variables the register entry documents', () => {
    const registerReadme = read('packages/otel-mq/README.md');
    const variables = new Set(
      [...readme.matchAll(/\b(OTEL_MQ_[A-Z_]+|OTEL_NODE_[A-Z_]+)\b/g)].map((match) => match[1]),
    );
    for (const variable of variables) {
      if (variable?.endsWith('_')) continue; // a pattern such as OTEL_MQ_<PLUGIN>_
      expect(`${variable}: ${registerReadme.includes(variable ?? '')}`).toBe(`${variable}: true`);
    }
  });

  it("lists every plugin option variable in the register entry's README", () => {
    const registerReadme = read('packages/otel-mq/README.md');
    for (const plugin of MESSAGING_PLUGIN_NAMES) {
      for (const suffix of [...Object.keys(PLUGIN_ENV_FLAGS[plugin]), 'CONSUMER_CONTEXT']) {
        const variable = pluginEnvName(plugin, suffix);
        expect(`${variable}: ${registerReadme.includes(`\`${variable}\``)}`).toBe(`${variable}: true`);
      }
    }
  });

  it('gives the two quick-start commands and links every package README', () => {
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
    for (const dir of [...Object.values(PLUGINS), 'packages/otel-mq', 'packages/messaging-propagation']) {
      expect(readme).toContain(`(${dir}/README.md)`);
    }
  });
});
