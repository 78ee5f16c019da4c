// Ties every name otel-mq can emit to the pinned semantic-conventions release:
// a rename upstream (like 1.45's `messaging.system` → `messaging.system.name`)
// fails here instead of going unnoticed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as legacy from './semconv-legacy';
import * as semconv from './semconv';

const release = incubating as unknown as Record<string, unknown>;
const PINNED = JSON.parse(
  readFileSync(join(dirname(require.resolve('@opentelemetry/semantic-conventions')), '..', 'package.json'), 'utf8'),
) as { version: string };

/** Names that are deliberately ours, not semconv's: documented in the README. */
const isOwnExtension = (value: string) => value.startsWith('otel_mq.');
/** Removed (not merely deprecated) in 1.45, so the release has no constant to compare with. */
const REMOVED_IN_1_45: Readonly<Record<string, string>> = { ATTR_FAAS_INVOCATION_ID_1_44: 'faas.invocation_id' };

function namedConstants(module: object): [string, string][] {
  return Object.entries(module).filter(
    (entry): entry is [string, string] =>
      /^(ATTR|METRIC|MESSAGING|FAAS|CLOUD|ERROR)_/.test(entry[0]) && typeof entry[1] === 'string',
  );
}

describe('semantic conventions: every name equals the pinned release', () => {
  it('targets the release the package depends on', () => {
    expect(semconv.SEMCONV_VERSION).toBe(PINNED.version);
    expect(semconv.SEMCONV_SCHEMA_URL).toBe(`https://opentelemetry.io/schemas/${PINNED.version}`);
  });

  it.each(namedConstants(semconv))('%s', (identifier, value) => {
    if (isOwnExtension(value)) return;
    expect(release[identifier]).toBe(value);
  });

  it.each(namedConstants(legacy))('1.44 name %s is the deprecated one of the release', (identifier, value) => {
    if (identifier in REMOVED_IN_1_45) {
      expect(value).toBe(REMOVED_IN_1_45[identifier]);
      expect(Object.values(release)).not.toContain(value);
      return;
    }
    expect(release[identifier]).toBe(value);
  });

  it('maps each renamed 1.45 name to its 1.44 name, and each is a name we emit', () => {
    const current = new Set(namedConstants(semconv).map(([, value]) => value));
    const previous = new Set(namedConstants(legacy).map(([, value]) => value));
    for (const [now, before] of Object.entries(legacy.LEGACY_ATTRIBUTE_NAMES)) {
      expect(current.has(now)).toBe(true);
      expect(previous.has(before)).toBe(true);
    }
    expect(legacy.LEGACY_SYSTEM_VALUES[semconv.MESSAGING_SYSTEM_NAME_VALUE_AWS_SQS]).toBe(
      release['MESSAGING_SYSTEM_VALUE_AWS_SQS'],
    );
  });

  it('uses no 1.44 name in the current generation', () => {
    const previous = new Set(Object.values(legacy.LEGACY_ATTRIBUTE_NAMES));
    for (const [, value] of namedConstants(semconv)) expect(previous.has(value)).toBe(false);
  });
});

describe('no attribute name is spelled out outside semconv.ts', () => {
  const packagesDir = join(__dirname, '..', '..');
  const NAMESPACES = /['"`](messaging|kafka|rabbitmq|aws\.(sqs|sns)|faas|cloud|otel_mq)\.[a-z_]+(\.[a-z_]+)*['"`]/;
  const ALLOWED = new Set(['messaging-propagation/src/semconv.ts', 'messaging-propagation/src/semconv-legacy.ts']);

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist') return [];
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
    });
  }

  it('finds none in any package source', () => {
    const offenders = readdirSync(packagesDir)
      .flatMap((pkg) => {
        const src = join(packagesDir, pkg, 'src');
        try {
          return sources(src);
        } catch {
          return [];
        }
      })
      .filter((path) => !ALLOWED.has(relative(packagesDir, path)))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line) && NAMESPACES.test(line))
          .map((line) => `${relative(packagesDir, path)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
