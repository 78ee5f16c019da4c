// The README's tables checked against the code, so they cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as propagation from '@org/messaging-propagation';
import { MessagingOperations, messagingSpanName } from '@org/messaging-propagation';
import { COMMAND_HANDLERS, SNS_COMMAND_HANDLERS } from './commands';
import * as api from './index';
import { FLUSH_CAP_MS, FLUSH_MARGIN_MS } from './lambda/flush';
import {
  POWERTOOLS_BATCH_SUPPORTED_VERSIONS,
  SNS_SUPPORTED_VERSIONS,
  SQS_CONSUMER_SUPPORTED_VERSIONS,
} from './version';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const flatReadme = readme.replace(/\s+/g, ' ');

function table(heading: string): string[][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| -'))
    .slice(1)
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .slice(1, -1),
    );
}

/** `name` in the first backticks of a cell. */
function codeIn(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

/** The fields of an interface in a source file, with their `@default`. */
function configFields(file: string, name: string): Map<string, string | undefined> {
  const source = readFileSync(join(__dirname, file), 'utf8');
  const body = source.split(`export interface ${name}`)[1]?.split('\n}')[0] ?? '';
  const fields = new Map<string, string | undefined>();
  for (const match of body.matchAll(/(?:@default ([^\n]+)\n\s*\*\/\n)?\s*(\w+)\?:/g)) {
    fields.set(match[2] as string, match[1]?.trim());
  }
  return fields;
}

describe('README matches the code', () => {
  it('states the supported versions', () => {
    for (const range of api.SUPPORTED_VERSIONS) expect(readme).toContain(`\`${range}\``);
    for (const range of [...SQS_CONSUMER_SUPPORTED_VERSIONS, ...POWERTOOLS_BATCH_SUPPORTED_VERSIONS]) {
      expect(flatReadme).toContain(`\`${range}\``);
    }
    for (const range of SNS_SUPPORTED_VERSIONS) expect(flatReadme).toContain(`\`@aws-sdk/client-sns\` \`${range}\``);
  });

  it('documents exactly the config options, with their defaults', () => {
    const fields = configFields('types.ts', 'AwsSqsInstrumentationConfig');
    const rows = table('Options');
    expect(rows.map(([option]) => codeIn(option)[0]).sort()).toEqual(['enabled', ...fields.keys()].sort());
    for (const [option, , defaultCell] of rows) {
      const name = codeIn(option)[0] as string;
      const documented = fields.get(name);
      if (documented !== undefined) expect(`${name}: ${defaultCell}`).toBe(`${name}: \`${documented}\``);
    }
  });

  it('documents exactly the Lambda wrapper options', () => {
    const fields = configFields('lambda/types.ts', 'SqsHandlerWrapperOptions');
    const section = readme.split('### AWS Lambda')[1]?.split('\n## ')[0] ?? '';
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => codeIn(line.split('|')[1])[0]);
    expect(documented.sort()).toEqual([...fields.keys()].sort());
  });

  it('states how long the Lambda wrapper may flush', () => {
    const section = readme.split('### AWS Lambda')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain(`${FLUSH_MARGIN_MS} ms before the function's timeout`);
    expect(section).toContain(`${FLUSH_CAP_MS} ms when the context has no such method`);
  });

  it('names a span for every recorded command, spelled by the shared span-name function', () => {
    const rows = table('Spans');
    const operations = rows.flatMap(([operation]) => codeIn(operation));
    for (const command of [...Object.keys(COMMAND_HANDLERS), ...Object.keys(SNS_COMMAND_HANDLERS)]) {
      expect(operations).toContain(command);
    }
    const names = rows.flatMap(([, name]) => codeIn(name));
    for (const operation of Object.values(MessagingOperations.sqs)) {
      expect(names).toContain(messagingSpanName(operation, '{queue}'));
    }
    expect(names).toContain(messagingSpanName(MessagingOperations.sns.send, '{topic}'));
    const operationNames = [...Object.values(MessagingOperations.sqs), MessagingOperations.sns.send].map(
      (operation) => operation.name,
    );
    for (const [, name] of rows) expect(operationNames).toContain((codeIn(name)[0] ?? '').split(' ')[0]);
  });

  it('lists only attribute names the shared package defines', () => {
    const known = new Set(
      Object.entries(propagation)
        .filter(([name]) => name.startsWith('ATTR_'))
        .map(([, value]) => value as string),
    );
    const documented = table('Attributes').flatMap(([attributes]) =>
      codeIn(attributes).filter(
        (name) =>
          /^[a-z_]+(\.[a-z_]+)+$/.test(name) &&
          name !== propagation.MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS &&
          name !== propagation.MESSAGING_SYSTEM_NAME_VALUE_AWS_SNS,
      ),
    );
    expect(documented.length).toBeGreaterThan(20);
    for (const name of documented) expect(`${name}: ${known.has(name)}`).toBe(`${name}: true`);
  });

  it('documents exactly the four messaging metrics, with their units', () => {
    const rows = table('Metrics').map(([name, unit]) => [codeIn(name)[0], codeIn(unit)[0]]);
    expect(rows.map(([name]) => name).sort()).toEqual(
      [
        propagation.METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
        propagation.METRIC_MESSAGING_PROCESS_DURATION,
        propagation.METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
        propagation.METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
      ].sort(),
    );
    for (const [name, unit] of rows) expect(unit).toBe(name?.endsWith('duration') ? 's' : '{message}');
  });

  it('shows every exported function in use', () => {
    for (const [name, value] of Object.entries(api)) {
      if (typeof value === 'function' && name !== 'AwsSqsInstrumentation') expect(readme).toContain(`${name}(`);
    }
    expect(readme).toContain('new AwsSqsInstrumentation(');
  });
});
