// What `manypkg` and `publint` do not check in the publishable manifests (packages/*):
// - runtime dependencies are ranges (`^x.y.z`, `workspace:^`): the lockfile pins versions for this repo,
//   while users' installs dedupe with their own copies (pnpm's `saveExact` is for dev and app manifests);
// - `@opentelemetry/api` is a peer dependency, never a regular one: a second copy gives no-op tracers;
// - the Apache-2.0 LICENSE is shipped, identical to the root one.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const problems = [];
for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const where = `packages/${dir}/package.json`;
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!/^(\^\d+\.\d+\.\d+|workspace:\^)$/.test(range)) {
      problems.push(`${where}: dependency ${name} is "${range}", expected a caret range or workspace:^`);
    }
  }
  if (manifest.dependencies?.['@opentelemetry/api']) {
    problems.push(`${where}: @opentelemetry/api must be a peerDependency, not a dependency`);
  }
  if (!manifest.peerDependencies?.['@opentelemetry/api']) {
    problems.push(`${where}: @opentelemetry/api is missing from peerDependencies`);
  }
  if (!manifest.files?.includes('LICENSE')) problems.push(`${where}: LICENSE is not in files`);
  let own = '';
  try {
    own = readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8');
  } catch {
    // reported below
  }
  if (own !== license) problems.push(`packages/${dir}/LICENSE: missing or different from the root LICENSE`);
}
for (const problem of problems) console.error(problem);
process.exit(problems.length ? 1 : 0);
