import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => fileURLToPath(new URL(`./libs/${name}/src`, import.meta.url));

const alias = {
  '@bridgefleet/contracts': lib('contracts'),
  '@bridgefleet/policy': lib('policy'),
  '@bridgefleet/db': lib('db'),
  '@bridgefleet/runbooks': lib('runbooks'),
  '@bridgefleet/testing': lib('testing'),
};

// SWC compiles Nest's decorators with their metadata, which esbuild cannot.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    projects: [
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        plugins,
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // End-to-end files share one database per run; run files one at a time
          // so fault-injection tests (restarting Redis, killing agents) stay isolated.
          fileParallelism: false,
        },
      },
    ],
  },
});
