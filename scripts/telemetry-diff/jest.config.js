// Jest settings for the telemetry differential check only (not part of `pnpm test`):
// the workload files are `*.diff.js`, the plugins' TypeScript and test fakes go
// through ts-jest as in the unit tests.
const path = require('node:path');
const preset = require('../../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: path.join(__dirname, '..', '..'),
  testMatch: ['<rootDir>/scripts/telemetry-diff/*.diff.js'],
  // The SDK packages the collector needs, from a workspace package that depends on them.
  modulePaths: ['<rootDir>/packages/messaging-propagation/node_modules'],
  maxWorkers: 1,
};
