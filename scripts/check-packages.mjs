// What a user installs: packs every publishable package (packages/*), installs the tarballs into a scratch app
// in a temp dir (offline, from the pnpm store this repo's install filled), then checks that every `exports`
// entry loads with `require` and with `import`, that `node --require`/`--import @org/otel-mq/register`
// start, that each plugin reports its package.json version, and that the types resolve with
// `moduleResolution` node16 (CJS and ESM importers) and bundler, with skipLibCheck off (attw-style).
// Prints one line per check; exits 1 when any fails. Needs the packages built (`pnpm run build:tsc`).
// `--json-out FILE` also writes the counts in jest's JSON shape, for scripts/summarize-tests.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const readManifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, manifest: readManifest(dir) }))
  .filter(({ manifest }) => !manifest.private);

// `--node BIN` (repeatable): the Node binaries to load the packages with; default, the one running this.
const nodes = process.argv.flatMap((arg, i) => (arg === '--node' ? [process.argv[i + 1]] : []));
if (nodes.length === 0) nodes.push(process.execPath);
const scratch = mkdtempSync(join(tmpdir(), 'otel-mq-packages-'));
let failures = 0;
let passes = 0;
let aborted = false;
const report = (ok, what, detail = '') => {
  if (ok) passes++;
  else failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `\n${detail.trim()}`}`);
};
const run = (what, command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: scratch, encoding: 'utf8', timeout: 60_000, ...options });
  report(result.status === 0, what, `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`);
  return result;
};

try {
  // 1. Pack: `pnpm pack` rewrites workspace:^ to the real ranges, as `changeset publish` does.
  const tarballs = {};
  for (const { dir, manifest } of packages) {
    const out = execFileSync('pnpm', ['pack', '--json', '--pack-destination', scratch], { cwd: dir, encoding: 'utf8' });
    const packed = JSON.parse(out);
    tarballs[manifest.name] = `file:${packed.filename}`;
    const files = packed.files.map((file) => file.path);
    report(files.includes('LICENSE'), `${manifest.name}: tarball ships LICENSE`);
    const maps = files.filter((file) => file.endsWith('.map'));
    report(maps.length === 0, `${manifest.name}: tarball has no source maps`, maps.join('\n'));
  }

  // 2. The scratch app: the tarballs plus the peer a user adds (and @types/node for the types check). The
  // overrides send the packages' ranges on each other (^0.1.0: not published yet) to the tarballs too.
  const devVersion = (name) => rootManifest.devDependencies[name];
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({
      name: 'scratch-app',
      private: true,
      dependencies: { ...tarballs, '@opentelemetry/api': '1.10.0' },
      devDependencies: { '@types/node': devVersion('@types/node') },
    }),
  );
  writeFileSync(
    join(scratch, 'pnpm-workspace.yaml'),
    [
      'overrides:',
      ...Object.entries(tarballs).map(([name, spec]) => `  '${name}': '${spec}'`),
      'allowBuilds:',
      '  protobufjs: false',
      "  '@parcel/watcher': false",
      '',
    ].join('\n'),
  );
  const install = run(
    'install the tarballs (pnpm install --offline)',
    'pnpm',
    ['install', '--offline', '--reporter=silent'],
    {
      timeout: 120_000,
    },
  );
  if (install.status !== 0) throw new Error('install failed');

  // One copy of the API (a second gives no-op tracers) and of the instrumentation base in the user's tree.
  const store = readdirSync(join(scratch, 'node_modules', '.pnpm'));
  for (const name of ['@opentelemetry+api@', '@opentelemetry+instrumentation@']) {
    const copies = store.filter((dir) => dir.startsWith(name));
    report(copies.length === 1, `one ${name.replace('+', '/').slice(0, -1)} installed`, copies.join('\n'));
  }

  // 3. Every exports entry, from CJS and from ESM; the plugins' scope version is their package.json's.
  const entries = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json' && subpath !== './register')
      .map((subpath) => manifest.name + subpath.slice(1)),
  );
  const versionCheck = packages
    .filter(({ manifest }) => manifest.name.includes('/instrumentation-'))
    .map(({ manifest }) => {
      const exported = `Object.values(require(${JSON.stringify(manifest.name)})).find((v) => typeof v === 'function' && /Instrumentation$/.test(v.name))`;
      return `{ const I = ${exported}; const v = new I({ enabled: false }).instrumentationVersion;
        if (v !== ${JSON.stringify(manifest.version)}) throw new Error(${JSON.stringify(manifest.name)} + ' reports ' + v); }`;
    })
    .join('\n');
  writeFileSync(
    join(scratch, 'check.cjs'),
    `${entries.map((entry) => `require(${JSON.stringify(entry)});`).join('\n')}\n${versionCheck}\n`,
  );
  writeFileSync(
    join(scratch, 'check.mjs'),
    `${entries.map((entry, i) => `import * as m${i} from ${JSON.stringify(entry)};`).join('\n')}
for (const m of [${entries.map((_, i) => `m${i}`).join(', ')}]) if (Object.keys(m).length < 2) throw new Error('empty module');\n`,
  );
  // The app's own span must be real: the SDK the register entry started serves the user's API copy.
  const appBody = `const span = trace.getTracer('scratch-app').startSpan('work');
if (!span.isRecording()) throw new Error('the register entry left the application with a no-op tracer');
span.end();
console.log('app ran');
`;
  writeFileSync(join(scratch, 'app.cjs'), `const { trace } = require('@opentelemetry/api');\n${appBody}`);
  writeFileSync(join(scratch, 'app.mjs'), `import { trace } from '@opentelemetry/api';\n${appBody}`);
  // Spans to stdout (with `none` the NodeSDK installs no tracer provider at all), nothing else.
  const consoleTraces = {
    env: {
      ...process.env,
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  };
  for (const node of nodes) {
    const on = `(Node ${execFileSync(node, ['-v'], { encoding: 'utf8' }).trim()})`;
    run(`require() every entry (${entries.join(', ')}); plugin versions ${on}`, node, ['check.cjs']);
    run(`import every entry ${on}`, node, ['check.mjs']);
    for (const [flag, app] of [
      ['--require', 'app.cjs'],
      ['--import', 'app.mjs'],
    ]) {
      const result = run(
        `node ${flag} @org/otel-mq/register ${app} ${on}`,
        node,
        [flag, '@org/otel-mq/register', app],
        consoleTraces,
      );
      report(
        result.stdout?.includes('app ran') && result.stdout.includes("name: 'work'") && result.stderr?.trim() === '',
        `register via ${flag}: the app ran, its span was exported, nothing on stderr ${on}`,
        `${result.stdout}${result.stderr}`,
      );
    }
  }

  // 4. Types, as a user's compiler sees them, with the TypeScript this repo builds with.
  const importers = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports)
      .filter((subpath) => subpath === '.')
      .map(() => manifest.name),
  );
  const typeImports = importers.map((name, i) => `import * as t${i} from '${name}';`).join('\n');
  const uses = `export const loaded = [${importers.map((_, i) => `t${i}`).join(', ')}];\n`;
  writeFileSync(join(scratch, 'types-cjs.cts'), `${typeImports}\n${uses}`);
  writeFileSync(join(scratch, 'types-esm.mts'), `${typeImports}\n${uses}`);
  writeFileSync(join(scratch, 'types-bundler.ts'), `${typeImports}\n${uses}`);
  const common = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    target: 'ES2023',
    lib: ['ES2023'],
  };
  const tsconfig = (name, compilerOptions, files) =>
    writeFileSync(join(scratch, name), JSON.stringify({ compilerOptions: { ...common, ...compilerOptions }, files }));
  tsconfig('tsconfig.node16.json', { module: 'node16', moduleResolution: 'node16' }, [
    'types-cjs.cts',
    'types-esm.mts',
  ]);
  tsconfig('tsconfig.bundler.json', { module: 'preserve', moduleResolution: 'bundler' }, ['types-bundler.ts']);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run('types: moduleResolution node16 (CJS .cts and ESM .mts importers)', process.execPath, [
    tsc,
    '-p',
    'tsconfig.node16.json',
  ]);
  run('types: moduleResolution bundler', process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
} catch (error) {
  aborted = true;
  report(false, 'package check aborted', String(error?.stack ?? error));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failures ? `${failures} package check(s) failed` : 'packages install and load');
const jsonOut = process.argv.indexOf('--json-out');
if (jsonOut > 0) {
  const counts = { numPassedTests: passes, numFailedTests: failures, numPendingTests: 0, numTodoTests: 0 };
  writeFileSync(process.argv[jsonOut + 1], JSON.stringify({ ...counts, numRuntimeErrorTestSuites: aborted ? 1 : 0 }));
}
process.exit(failures ? 1 : 0);
