/**
 * Shared jest settings for every workspace package. ts-jest only transpiles
 * (isolatedModules): type checking is `tsc -b` plus `pnpm run typecheck:tests`.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: { module: 'commonjs', target: 'ES2023', esModuleInterop: true, isolatedModules: true } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
