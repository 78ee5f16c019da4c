// The instrumentation scope a backend shows must be this package as published: changesets bumps package.json,
// and the version on every span has to follow it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfluentKafkaInstrumentation } from './instrumentation';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

describe('instrumentation scope', () => {
  it('is the name and version of package.json', () => {
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(PACKAGE_VERSION).toBe(manifest.version);
    const instrumentation = new ConfluentKafkaInstrumentation({ enabled: false });
    expect(instrumentation.instrumentationName).toBe(manifest.name);
    expect(instrumentation.instrumentationVersion).toBe(manifest.version);
  });
});
