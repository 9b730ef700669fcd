import type { NextFunction, Request, Response } from "express";
import { logger } from "../app/lib/logger.server.ts";

/**
 * Bounds every request before the app reads it, so that a malformed or oversized one costs
 * milliseconds and answers a small 4xx:
 * - a path or query string with a NUL byte, a control character or broken %-encoding: 400;
 * - a body with no declared length (chunked): 411 — browsers and Stripe always declare it;
 * - a body longer than REQUEST_MAX_BYTES: 413, answered before any of it is read;
 * - a body on a form route that is not a form (JSON, XML, plain text): 400. Only the webhooks,
 *   which servers call with signed JSON, take other bodies.
 */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const RAW_BODY_ROUTES = [/^\/webhooks\//];
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(res: Response, status: number, zh: string, en: string, extra: Record<string, string> = {}) {
  res.status(status).set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra });
  if (status === 413 || status === 411) res.set("Connection", "close");
  res.send(`${zh} / ${en}\n`);
}

export function boundRequests(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const raw = req.originalUrl;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw.replace(/\+/g, " "));
    } catch {
      return refuse(res, 400, "网址格式错误", "Malformed address");
    }
    if (CONTROL.test(raw) || decoded.includes("\u0000")) {
      logger.warn({ method: req.method }, "request with a control character in its address refused");
      return refuse(res, 400, "网址含有不允许的字符", "The address contains a character that is not allowed");
    }
    if (!BODY_METHODS.has(req.method)) return next();

    const length = req.get("content-length");
    const chunked = /chunked/i.test(req.get("transfer-encoding") ?? "");
    if (chunked && length === undefined) return refuse(res, 411, "请求须声明长度", "Length required");
    const bytes = length === undefined ? 0 : Number(length);
    if (!Number.isSafeInteger(bytes) || bytes < 0) return refuse(res, 400, "请求长度无效", "Invalid Content-Length");
    if (bytes > maxBytes) {
      logger.warn({ method: req.method, path: req.path, bytes, maxBytes }, "request body too large; refused before reading");
      return refuse(res, 413, `请求内容过大（上限 ${Math.floor(maxBytes / 1048576)} MB）`, `Request too large (limit ${Math.floor(maxBytes / 1048576)} MB)`);
    }
    if (bytes === 0 || RAW_BODY_ROUTES.some((r) => r.test(req.path))) return next();
    const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) return refuse(res, 400, "只接受表单提交", "Only form submissions are accepted here");
    if (type === "multipart/form-data" && !/boundary=/i.test(req.get("content-type") ?? "")) {
      return refuse(res, 400, "表单格式错误", "Malformed form");
    }
    next();
  };
}
