import { defineConfig } from 'vitest/config';

/**
 * Files whose point is behaviour under contention (hundreds of concurrent writes) or scale (tens
 * of thousands of items): they run after the rest, one at a time, so neither they nor the rest
 * measure the other's load on two cores.
 */
const ALONE = [
  'test/integration/orders.test.ts',
  'test/integration/inventory-reliability.test.ts',
  'test/integration/inventory-model.test.ts',
  'test/integration/monthly-analysis-scale.test.ts',
];

export default defineConfig({
  test: {
    // DynamoDB Local and the SES endpoint start once per run; each test file gets its own table.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-env.ts'],
    pool: 'forks',
    // Node 20 is supported here until the SDK's 2027 cut-off; the warning is known and noisy.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...ALONE], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
