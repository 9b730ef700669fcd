import type { Config } from "@react-router/dev/config";

// The baseline for `npm run bench`: one server-rendered page, no database, no session, no CSS.
export default {
  ssr: true,
  appDirectory: "app",
  buildDirectory: process.env.BARE_BUILD_DIR ?? "../../build-bench-bare",
  future: { v8_passThroughRequests: true, v8_trailingSlashAwareDataRequests: true },
} satisfies Config;
