import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import { createRequestHandler } from "@react-router/express";
import type { ServerBuild } from "react-router";
import type { ViteDevServer } from "vite";
import { env } from "../app/lib/env.server.ts";
import { readiness } from "../app/lib/health.server.ts";
import { logger, requestStore } from "../app/lib/logger.server.ts";
import { readPublicDataVersion } from "../app/lib/public-version.server.ts";
import { admission } from "./admission.ts";
import { newNonce, publicPageCache } from "./public-cache.ts";
import { boundRequests } from "./request-limits.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Routes called by other servers, which authenticate by signature instead of cookies. */
const CROSS_SITE_ALLOWED = [/^\/webhooks\//];

/**
 * Refuses state-changing requests that a browser sent from another site. Together with
 * SameSite=Lax session cookies this makes every form CSRF-safe without per-form tokens
 * (docs/decisions/005-csrf.md).
 */
export function sameOriginGuard(req: Request, res: Response, next: NextFunction) {
  if (!UNSAFE.has(req.method) || CROSS_SITE_ALLOWED.some((r) => r.test(req.path))) return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  let allowed = true;
  if (origin && origin !== "null") {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    allowed = host === req.get("host") || host === new URL(env().APP_URL).host;
  } else if (origin === "null") {
    allowed = false;
  } else if (fetchSite) {
    allowed = fetchSite === "same-origin" || fetchSite === "none";
  }
  if (allowed) return next();
  logger.warn({ path: req.path, origin, fetchSite }, "cross-site request refused");
  res.status(403).type("text/plain; charset=utf-8").send("跨站请求被拒绝 / Cross-site request refused");
}

/** Pages with beneficiaries' names and phones: never stored by a browser or a proxy, the .data requests of client navigation included. */
const PERSONAL_DATA = /^\/projects\/[^/]+\/(beneficiaries|callbacks)(\.data)?\/?$/;

/**
 * Default caching: personal-data pages `no-store`; anything answered to a signed-in visitor
 * `private, no-store` unless the route says otherwise (React Router writes a route's own
 * Cache-Control over this default).
 */
export function cacheDefaults(req: Request, res: Response, next: NextFunction) {
  const personal = PERSONAL_DATA.test(req.path);
  const signedIn = /(^|;\s*)__session=/.test(req.get("cookie") ?? "");
  if (!personal && !signedIn) return next();
  // decided when the head is written, after the route's own headers are in place
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (personal) this.setHeader("Cache-Control", "no-store");
    else if (!this.getHeader("Cache-Control")) this.setHeader("Cache-Control", "private, no-store");
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}

/**
 * React Router checks a form post's Origin against the request's own URL, which Express builds
 * from the Host header (X-Forwarded-Host with TRUST_PROXY). Behind a proxy that rewrites Host
 * (nginx's default `Host $proxy_host`) or terminates TLS without X-Forwarded-Proto, the two
 * differ for every legitimate post, and React Router answered 400. The same-origin guard above
 * already accepts APP_URL's origin; telling React Router that host (`allowedActionOrigins`, set at
 * run time because APP_URL is) makes the two checks agree. A foreign Origin is still refused, by
 * the guard first.
 */
export function withPublicOrigin(appUrl: string) {
  const host = new URL(appUrl).host;
  return (build: ServerBuild): ServerBuild => {
    const configured = Array.isArray(build.allowedActionOrigins) ? build.allowedActionOrigins : [];
    return { ...build, allowedActionOrigins: [...configured, host] };
  };
}

export function createApp(opts: { build?: ServerBuild | (() => Promise<ServerBuild>); vite?: ViteDevServer }) {
  const e = env();
  const app = express();
  app.disable("x-powered-by");
  if (e.TRUST_PROXY) app.set("trust proxy", true);

  app.use((req, res, next) => {
    const requestId = crypto.randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    // no page of the platform uses the camera, microphone, location, USB or the Payment Request API
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), usb=(), payment=(), browsing-topics=()");
    // the client address as Express resolved it (TRUST_PROXY aware); never trusted from outside
    req.headers["x-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    req.headers["x-request-id"] = requestId;
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (req.path.startsWith("/assets/")) return;
      requestStore.run({ requestId }, () =>
        logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request"),
      );
    });
    requestStore.run({ requestId }, () => next());
  });
  app.use(boundRequests(e.REQUEST_MAX_BYTES));

  // for supervisors and load balancers: alive (the process answers) and ready (database + migrations)
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok\n");
  });
  app.get("/readyz", async (_req, res) => {
    const state = await readiness();
    res.status(state.ready ? 200 : 503).set("Cache-Control", "no-store").json(state);
  });

  app.use(compression());
  app.use(sameOriginGuard);

  if (opts.vite) {
    app.use(opts.vite.middlewares);
  } else {
    const client = path.resolve(process.env.BUILD_DIR ?? "build", "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
    // the few files at the top of public/ (icons, robots.txt, the manifest), looked up by name: a
    // page request never costs a file-system lookup
    const topFiles = new Set(fs.existsSync(client) ? fs.readdirSync(client, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => `/${f.name}`) : []);
    const serveTop = express.static(client, { maxAge: "1h", index: false, redirect: false });
    app.use((req, res, next) => (topFiles.has(req.path) ? serveTop(req, res, next) : next()));
  }

  app.use(cacheDefaults);
  const vite = opts.vite;
  const given = opts.build!;
  if (e.PUBLIC_CACHE) {
    // a development server's code changes without a new build id: one per process start
    const devBuildId = `dev-${crypto.randomUUID()}`;
    let buildId: Promise<string> | undefined;
    app.use(
      publicPageCache({
        maxBytes: e.PUBLIC_CACHE_MB * 1024 * 1024,
        readVersion: readPublicDataVersion,
        buildId: () =>
          (buildId ??= vite ? Promise.resolve(devBuildId) : (typeof given === "function" ? given() : Promise.resolve(given)).then((b) => b.assets.version)),
      }),
    );
  }
  // static files above are served at any load; pages and actions are admitted a few at a time
  app.use(admission({ concurrent: e.MAX_CONCURRENT_REQUESTS, queue: e.REQUEST_QUEUE, maxWaitMs: e.REQUEST_QUEUE_WAIT_MS }));

  const publicOrigin = withPublicOrigin(e.APP_URL);
  const build = vite
    ? async () => publicOrigin((await vite.ssrLoadModule("virtual:react-router/server-build")) as ServerBuild)
    : typeof given === "function"
      ? async () => publicOrigin(await given())
      : publicOrigin(given);
  app.all(
    "/{*splat}",
    createRequestHandler({
      build,
      mode: e.NODE_ENV === "production" ? "production" : "development",
      // the nonce is drawn by the public-page cache when it runs (it swaps it into cached bodies)
      // and the public-data version it read, which loaders that keep public data reuse
      getLoadContext: (req, res) => ({
        requestId: String(req.headers["x-request-id"]),
        cspNonce: (res.locals.cspNonce as string | undefined) ?? newNonce(),
        publicDataVersion: res.locals.publicDataVersion as string | undefined,
      }),
    }),
  );
  return app;
}
