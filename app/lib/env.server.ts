import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
    .optional()
    .transform((v) => (v === undefined ? fallback : ["true", "1", "yes", "on"].includes(v)));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

/**
 * Every environment variable the app reads, validated once at start-up. README.md documents
 * each. A missing optional integration (SMTP, S3) switches to its local mode; it never crashes.
 */
export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: optionalString,
    APP_URL: z.url().optional(),
    DATABASE_URL: optionalString.pipe(z.string().startsWith("postgres").optional()),
    DATA_DIR: z.string().default("./data"),
    BUILD_DIR: z.string().default("build"),
    DEMO_MODE: optionalString,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    WORKER: bool(true),
    /** how long a stop signal waits for requests in flight, the worker's jobs and the database to finish before the process exits anyway (code 1) */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** requests inside the app at once; more wait their turn (up to REQUEST_QUEUE, REQUEST_QUEUE_WAIT_MS), then 503 */
    MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(24),
    REQUEST_QUEUE: z.coerce.number().int().min(0).max(100_000).default(500),
    REQUEST_QUEUE_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
    WORKER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
    TRUST_PROXY: bool(false),
    /** ETags, 304s and the in-process cache of anonymous public pages; default on in production only (docs/decisions/020-public-page-cache.md) */
    PUBLIC_CACHE: z.enum(["true", "false", "1", "0", "yes", "no", "on", "off"]).optional(),
    /** memory for rendered anonymous public pages, per process; 0 keeps none (ETags and 304s still work) */
    PUBLIC_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
    SECURE_COOKIES: optionalString,
    SMTP_HOST: optionalString,
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    SMTP_SECURE: bool(false),
    SMTP_USER: optionalString,
    SMTP_PASSWORD: optionalString,
    MAIL_FROM: z.string().default("社区公益创投平台 <no-reply@localhost>"),
    /** "local" keeps emails in the database for /admin/mail; a production start (DEMO_MODE=false) without SMTP_HOST needs it said explicitly */
    MAIL_MODE: z.enum(["smtp", "local"]).optional(),
    UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    /** the largest request body accepted (all files of a form together); larger ones get 413 before they are read */
    REQUEST_MAX_BYTES: z.coerce.number().int().min(64 * 1024).default(64 * 1024 * 1024),
    S3_ENDPOINT: optionalString,
    S3_REGION: z.string().default("us-east-1"),
    S3_BUCKET: optionalString,
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    S3_FORCE_PATH_STYLE: bool(true),
    /** base64 of 32 random bytes (AES-256-GCM for beneficiaries' names and phones); unset = local key file in DATA_DIR */
    PII_ENCRYPTION_KEY: optionalString.refine(
      (v) => v === undefined || (/^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32),
      "must be the base64 encoding of exactly 32 bytes (openssl rand -base64 32)",
    ),
    /** Stripe secret key (sk_live_… / sk_test_…); unset = demo payments mode (local checkout page, no real money) */
    STRIPE_SECRET_KEY: optionalString,
    /** signing secret of the Stripe webhook endpoint (whsec_…); required with STRIPE_SECRET_KEY */
    STRIPE_WEBHOOK_SECRET: optionalString,
    /** base URL of the Stripe API, for a local stub in tests; default https://api.stripe.com */
    STRIPE_API_BASE: optionalString.pipe(z.url().optional()),
    /** where demo mode posts its signed events; default http://127.0.0.1:PORT/webhooks/stripe */
    DEMO_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
    /** the Official Account's AppID (公众号 appid) for signing in with WeChat; unset = no WeChat sign-in */
    WECHAT_APP_ID: optionalString,
    /** the Official Account's AppSecret; required with WECHAT_APP_ID */
    WECHAT_APP_SECRET: optionalString,
    /** snsapi_userinfo (asks for the nickname, the default) or snsapi_base (silent, the openid only) */
    WECHAT_SCOPE: z.enum(["snsapi_base", "snsapi_userinfo"]).default("snsapi_userinfo"),
    /** base URL of the authorisation page, for a local stub in tests; default https://open.weixin.qq.com */
    WECHAT_OPEN_BASE: optionalString.pipe(z.url().optional()),
    /** base URL of the WeChat API, for a local stub in tests; default https://api.weixin.qq.com */
    WECHAT_API_BASE: optionalString.pipe(z.url().optional()),
    /** "aliyun" sends SMS through Alibaba Cloud SMS; unset = local SMS mode (docs/decisions/044) */
    SMS_PROVIDER: z.enum(["aliyun"]).optional(),
    /** AccessKey of a RAM user allowed to call dysmsapi:SendSms */
    SMS_ACCESS_KEY_ID: optionalString,
    SMS_ACCESS_KEY_SECRET: optionalString,
    /** host of the SMS API (default dysmsapi.aliyuncs.com); an http:// URL points the SDK at a local stub in tests */
    SMS_ENDPOINT: optionalString,
    /** the approved SMS signature (签名), e.g. 社区公益创投 */
    SMS_SIGN_NAME: optionalString,
    /** approved template for sign-in codes, with the parameter ${code} */
    SMS_TEMPLATE_CODE: optionalString,
    /** approved template for notices, with the parameters ${summary} and ${link} */
    SMS_TEMPLATE_NOTICE: optionalString,
  })
  .refine((e) => !e.WECHAT_APP_ID || !!e.WECHAT_APP_SECRET, {
    path: ["WECHAT_APP_SECRET"],
    message: "is required when WECHAT_APP_ID is set (the Official Account's AppSecret)",
  })
  .refine((e) => !e.SMS_PROVIDER || (!!e.SMS_ACCESS_KEY_ID && !!e.SMS_ACCESS_KEY_SECRET && !!e.SMS_SIGN_NAME && !!e.SMS_TEMPLATE_CODE && !!e.SMS_TEMPLATE_NOTICE), {
    path: ["SMS_PROVIDER"],
    message: "needs SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME, SMS_TEMPLATE_CODE and SMS_TEMPLATE_NOTICE",
  })
  .refine((e) => !e.STRIPE_SECRET_KEY || !!e.STRIPE_WEBHOOK_SECRET, {
    path: ["STRIPE_WEBHOOK_SECRET"],
    message: "is required when STRIPE_SECRET_KEY is set (the webhook's signing secret, whsec_…)",
  })
  .transform((e) => ({
    ...e,
    APP_URL: e.APP_URL ?? `http://localhost:${e.PORT}`,
    /** demo data is seeded and demo passwords shown; on by default only with the embedded database */
    DEMO_MODE: e.DEMO_MODE === undefined ? !e.DATABASE_URL : ["true", "1", "yes", "on"].includes(e.DEMO_MODE),
    SECURE_COOKIES:
      e.SECURE_COOKIES === undefined ? e.NODE_ENV === "production" && !!e.APP_URL?.startsWith("https:") : e.SECURE_COOKIES === "true",
    PUBLIC_CACHE: e.PUBLIC_CACHE === undefined ? e.NODE_ENV === "production" : ["true", "1", "yes", "on"].includes(e.PUBLIC_CACHE),
    SMTP_CONFIGURED: !!e.SMTP_HOST,
    /** "aliyun" with SMS_PROVIDER; "local" otherwise: codes are shown (demo mode only) to the person asking, notices kept in the outbox */
    SMS_MODE: (e.SMS_PROVIDER ?? "local") as "aliyun" | "local",
    /** why this environment may not start, if it may not (checked by the server at start-up) */
    START_PROBLEM:
      !(e.DEMO_MODE === undefined ? !e.DATABASE_URL : ["true", "1", "yes", "on"].includes(e.DEMO_MODE)) && !e.SMTP_HOST && e.MAIL_MODE !== "local"
        ? "DEMO_MODE=false but no SMTP_HOST: password-reset and invitation emails would only be kept in the database. Set SMTP_HOST, or MAIL_MODE=local to choose local mail mode deliberately."
        : null,
    S3_CONFIGURED: !!e.S3_BUCKET,
    /** "stripe" with keys; "demo" otherwise: a labelled local checkout through the same webhook code */
    PAYMENTS_MODE: (e.STRIPE_SECRET_KEY ? "stripe" : "demo") as "stripe" | "demo",
    /** signing in with WeChat is offered (an AppID and its secret are set) */
    WECHAT_CONFIGURED: !!e.WECHAT_APP_ID && !!e.WECHAT_APP_SECRET,
  }));

export type Env = z.output<typeof EnvSchema>;

let cached: Env | undefined;

/** The validated environment. Throws a readable error listing every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change process.env between cases; this forgets the cached parse. */
export function resetEnvCache() {
  cached = undefined;
}

/** The app's public address without a trailing slash: what emails put before a path. */
export const appUrl = () => env().APP_URL.replace(/\/$/, "");
