/**
 * The bare React Router baseline for `npm run bench`, in its own process like the app: the
 * bench/bare build served by the same Express adapter. Prints "listening <port>".
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@react-router/express";

const buildDir = process.argv[2]!;
const build = await import(pathToFileURL(path.join(buildDir, "server/index.js")).href);
const app = express();
app.all("/{*splat}", createRequestHandler({ build }));
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
