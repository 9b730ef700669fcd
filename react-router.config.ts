import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // BUILD_DIR lets several builds coexist (parallel e2e runs); default build/
  buildDirectory: process.env.BUILD_DIR ?? "build",
  future: { v8_passThroughRequests: true, v8_trailingSlashAwareDataRequests: true },
} satisfies Config;
