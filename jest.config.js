/** Runs every workspace package's unit tests in one jest invocation. */
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.js'],
};
