import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console builds to dist/console, which the main job's server serves at / (src/server/console.routes.ts).
const uiRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: uiRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    // Served from the package on a loopback server: no CDN, no source maps to ship.
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
