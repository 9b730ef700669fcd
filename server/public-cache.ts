import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { LRUCache } from "lru-cache";
import { logger } from "../app/lib/logger.server.ts";
import { anonymousLargeText, anonymousLocale, cacheControlFor, etagMatches, hasSession, isPublicPage, publicEtag, swapTokens } from "../app/lib/public-cache.ts";

/** Headers of a cached response that are not replayed: per response, or written again by the cache. */
const NOT_REPLAYED = new Set(["x-request-id", "date", "content-length", "transfer-encoding", "content-encoding", "etag", "cache-control", "vary", "connection", "keep-alive"]);

interface Entry {
  body: string;
  headers: [string, string | string[]][];
  /** the nonce and request id the body was rendered with */
  tokens: [string, string];
}

export interface PublicCacheOptions {
  /** bound of the cached bodies together; 0 keeps none (ETags and 304s still work) */
  maxBytes: number;
  /** the public-data version (one indexed single-row read) */
  readVersion: () => Promise<string>;
  /** the app build's id: a new build never answers with an old build's page or 304 */
  buildId: () => Promise<string>;
  now?: () => number;
}

/** Fresh for every response: the nonce of its Content-Security-Policy, read by getLoadContext. */
export const newNonce = () => crypto.randomBytes(16).toString("base64");

/**
 * Anonymous GETs of public pages (docs/decisions/020-public-page-cache.md): answered 304 when
 * the visitor's ETag is the page's current one (public-data version, URL, language, build,
 * freshness window); else from this process's LRU of rendered bodies, with this response's own
 * nonce and request id swapped in; else rendered, and kept when the answer is a 200 without
 * Set-Cookie and without a Cache-Control of the route's own. Requests with a session cookie,
 * other methods and other pages pass through untouched. Sets `res.locals.cspNonce`.
 */
export function publicPageCache(opts: PublicCacheOptions) {
  const now = opts.now ?? Date.now;
  const bodies =
    opts.maxBytes > 0
      ? new LRUCache<string, Entry>({ maxSize: opts.maxBytes, sizeCalculation: (e) => Math.max(1, Buffer.byteLength(e.body) + 256) })
      : null;

  return async function publicCache(req: Request, res: Response, next: NextFunction) {
    res.locals.cspNonce = newNonce();
    const cookie = req.get("cookie");
    if (req.method !== "GET" || !isPublicPage(req.path) || hasSession(cookie)) return next();

    let etag: string;
    try {
      const [version, buildId] = await Promise.all([opts.readVersion(), opts.buildId()]);
      res.locals.publicDataVersion = version;
      etag = publicEtag({
        version,
        url: req.originalUrl,
        locale: anonymousLocale(cookie, req.get("accept-language")),
        largeText: anonymousLargeText(cookie),
        buildId,
        now: now(),
      });
    } catch (err) {
      // no version, no caching: the page is rendered as if the cache did not exist
      logger.warn({ err }, "public-data version unreadable; page not cached");
      return next();
    }
    const cacheControl = cacheControlFor(req.path);
    const markCacheable = () => {
      res.setHeader("ETag", etag);
      res.setHeader("Cache-Control", cacheControl);
      res.vary("Cookie");
      // without a lang cookie the language comes from Accept-Language
      res.vary("Accept-Language");
    };

    if (etagMatches(req.get("if-none-match"), etag)) {
      markCacheable();
      res.status(304).end();
      return;
    }

    const requestId = String(req.headers["x-request-id"] ?? "");
    const hit = bodies?.get(etag);
    if (hit) {
      const fresh: [string, string] = [res.locals.cspNonce as string, requestId];
      for (const [name, value] of hit.headers) {
        res.setHeader(name, Array.isArray(value) ? value.map((v) => swapTokens(v, hit.tokens, fresh)) : swapTokens(value, hit.tokens, fresh));
      }
      markCacheable();
      res.setHeader("X-Public-Cache", "hit");
      res.status(200).end(swapTokens(hit.body, hit.tokens, fresh));
      return;
    }

    // rendered now: decided when the head is written, after the route's own headers are in place
    let capturing = false;
    const chunks: Buffer[] = [];
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
      if (this.statusCode === 200 && !this.getHeader("set-cookie") && !this.getHeader("cache-control")) {
        markCacheable();
        this.setHeader("X-Public-Cache", "miss");
        capturing = bodies !== null;
      }
      return writeHead.apply(this, args);
    } as Response["writeHead"];
    const toBuffer = (chunk: unknown, encoding: unknown) =>
      Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    const write = res.write;
    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
      // the first write writes the head, which decides whether this body is kept: called first
      const result = (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      if (capturing && chunk != null) chunks.push(toBuffer(chunk, rest[0]));
      return result;
    } as Response["write"];
    const end = res.end;
    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      const result = (end as (...a: unknown[]) => Response).call(this, chunk, ...rest);
      if (capturing && typeof chunk !== "function" && chunk != null) chunks.push(toBuffer(chunk, rest[0]));
      if (capturing && bodies) {
        capturing = false;
        const headers = Object.entries(res.getHeaders())
          .filter(([name, value]) => value !== undefined && !NOT_REPLAYED.has(name) && name !== "x-public-cache")
          .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)] as [string, string | string[]]);
        bodies.set(etag, { body: Buffer.concat(chunks).toString("utf8"), headers, tokens: [res.locals.cspNonce as string, requestId] });
      }
      return result;
    } as Response["end"];
    // a response cut short (client gone, stream aborted) is never kept
    res.on("close", () => {
      if (!res.writableFinished) capturing = false;
    });
    next();
  };
}
