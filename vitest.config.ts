import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // ui/ component tests pick jsdom with a `// @vitest-environment jsdom` comment; the rest run in Node.
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "ui/src/**/*.test.tsx", "ui/src/**/*.test.ts"],
    // A slow shared 2-core CI machine: generous timeouts, speed is measured by bench scripts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
