import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index';
import { LEGACY_ATTRIBUTE_NAMES } from './semconv-legacy';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
/** The README with line breaks folded, for phrases that prose may wrap. */
const flat = readme.replace(/\s+/g, ' ');

function tableRows(heading: string): string[][] {
  const section = readme.split(`### ${heading}`)[1]?.split('\n### ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^`|`$/g, ''))
        .slice(1, -1),
    );
}

describe('README tables match the code', () => {
  const exported = Object.entries(api);

  it('documents exactly the exported attribute names', () => {
    const documented = tableRows('Attributes')
      .map(([name]) => name)
      .sort();
    const legacy = new Set(Object.values(LEGACY_ATTRIBUTE_NAMES));
    const attributeNames = exported
      .filter(([name]) => name.startsWith('ATTR_'))
      .map(([, value]) => value as string)
      .filter((value) => !legacy.has(value))
      .sort();
    expect(documented).toEqual(attributeNames);
  });

  it('gives the 1.44 name of every renamed attribute, as the code maps them', () => {
    const rows = tableRows('Semantic-convention versions').map(([now, before]) => [now, before?.split('`')[0]]);
    expect(Object.fromEntries(rows)).toEqual(LEGACY_ATTRIBUTE_NAMES);
  });

  it('documents exactly the metric instruments with their units', () => {
    const documented = tableRows('Metrics').map(([name, , unit]) => [name, unit]);
    const metricNames = exported.filter(([name]) => name.startsWith('METRIC_')).map(([, value]) => value as string);
    expect(documented.map(([name]) => name).sort()).toEqual(metricNames.sort());
    for (const [name, unit] of documented) expect(unit).toBe(name?.endsWith('duration') ? 's' : '{message}');
  });

  it('states the bucket advice and limits as the code has them', () => {
    expect(flat).toContain(api.MESSAGING_DURATION_BUCKETS.join(', '));
    expect(flat).toContain(`\`MAX_TRACESTATE_LENGTH\` (${api.MAX_TRACESTATE_LENGTH})`);
    expect(flat).toContain(`\`MAX_TRACEPARENT_LENGTH\` (${api.MAX_TRACEPARENT_LENGTH})`);
    expect(flat).toContain(`\`MAX_BAGGAGE_LENGTH\` (${api.MAX_BAGGAGE_LENGTH})`);
    expect(flat).toContain(`\`MAX_OTHER_FIELD_LENGTH\` (${api.MAX_OTHER_FIELD_LENGTH})`);
    expect(flat).toContain(`\`MAX_REPEATED_VALUES\` (${api.MAX_REPEATED_VALUES})`);
    expect(flat).toContain(`\`SQS_MAX_MESSAGE_ATTRIBUTES\` = ${api.SQS_MAX_MESSAGE_ATTRIBUTES}`);
  });

  it('mentions every exported function', () => {
    for (const [name, value] of exported) {
      if (typeof value === 'function') expect(`${name}: ${readme.includes(`\`${name}(`)}`).toBe(`${name}: true`);
    }
  });
});
