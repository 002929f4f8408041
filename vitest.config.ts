import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // A slow shared 2-core CI machine: generous timeouts, speed is measured by bench scripts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
