import Dysmsapi, { SendSmsRequest } from "@alicloud/dysmsapi20170525";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { RuntimeOptions } from "@darabonba/typescript";
import { env } from "./env.server";

/**
 * Sending SMS (docs/decisions/044). The app needs two messages, each an approved provider
 * template: a sign-in code (${code}) and a notice (${summary} ${link}). `smsProvider()` is the
 * configured provider, or null in local SMS mode (no SMS_PROVIDER): codes are then shown to the
 * person asking, in demo mode only, and notices stay in the outbox as STORED_LOCALLY.
 *
 * Numbers and codes are never logged here; a failure carries the provider's code and message.
 */

export type SmsTemplate = "code" | "notice";
export type SmsParams = { code: string } | { summary: string; link: string };

export class SmsSendError extends Error {
  override name = "SmsSendError";
  constructor(
    /** the provider's error code, e.g. isv.MOBILE_NUMBER_ILLEGAL, or a network error's */
    readonly code: string,
    message: string,
    /** the provider refused this message for good (a bad number or template): retrying cannot help */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface SmsProvider {
  readonly name: string;
  /** Sends one message to an 11-digit mainland number; resolves to the provider's id of it. */
  send(phone: string, template: SmsTemplate, params: SmsParams): Promise<{ providerId: string }>;
}

/** Alibaba Cloud error codes that no retry can fix (the number, the signature or the template). */
const ALIYUN_PERMANENT = /^isv\.(MOBILE_NUMBER_ILLEGAL|MOBILE_COUNT_OVER_LIMIT|SMS_SIGNATURE_ILLEGAL|SMS_TEMPLATE_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|INVALID_PARAMETERS|BLACK_KEY_CONTROL_LIMIT|PARAM_LENGTH_LIMIT|PARAM_NOT_SUPPORT_URL)$/;

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** a host (dysmsapi.aliyuncs.com) or an http(s):// origin (a local stub in tests) */
  endpoint: string;
  signName: string;
  templates: Record<SmsTemplate, string>;
}

/** Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms) through its official SDK. */
export function aliyunSmsProvider(config: AliyunSmsConfig): SmsProvider {
  const url = /^https?:\/\//.test(config.endpoint) ? new URL(config.endpoint) : null;
  const client = new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: url ? url.host : config.endpoint,
      protocol: url ? url.protocol.replace(":", "") : "https",
    }),
  );
  // retries belong to the outbox job (and, for codes, to the person): one try per call
  const runtime = new RuntimeOptions({ autoretry: false, connectTimeout: 5_000, readTimeout: 10_000 });
  return {
    name: "aliyun",
    async send(phone, template, params) {
      let body;
      try {
        const response = await client.sendSmsWithOptions(
          new SendSmsRequest({ phoneNumbers: phone, signName: config.signName, templateCode: config.templates[template], templateParam: JSON.stringify(params) }),
          runtime,
        );
        body = response.body;
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown; statusCode?: unknown };
        const code = typeof e.code === "string" ? e.code : "NETWORK";
        throw new SmsSendError(code, String(e.message ?? error).slice(0, 300), ALIYUN_PERMANENT.test(code));
      }
      if (!body || body.code !== "OK") {
        const code = body?.code ?? "NO_BODY";
        throw new SmsSendError(code, String(body?.message ?? "no answer").slice(0, 300), ALIYUN_PERMANENT.test(code));
      }
      return { providerId: body.bizId ?? body.requestId ?? "" };
    },
  };
}

let cached: { config: string; provider: SmsProvider | null } | undefined;

/** The provider the environment configures, or null in local SMS mode. */
export function smsProvider(): SmsProvider | null {
  const e = env();
  const config = [e.SMS_PROVIDER, e.SMS_ACCESS_KEY_ID, e.SMS_ENDPOINT, e.SMS_SIGN_NAME, e.SMS_TEMPLATE_CODE, e.SMS_TEMPLATE_NOTICE].join("|");
  if (cached?.config === config) return cached.provider;
  const provider =
    e.SMS_PROVIDER === "aliyun"
      ? aliyunSmsProvider({
          accessKeyId: e.SMS_ACCESS_KEY_ID!,
          accessKeySecret: e.SMS_ACCESS_KEY_SECRET!,
          endpoint: e.SMS_ENDPOINT ?? "dysmsapi.aliyuncs.com",
          signName: e.SMS_SIGN_NAME!,
          templates: { code: e.SMS_TEMPLATE_CODE!, notice: e.SMS_TEMPLATE_NOTICE! },
        })
      : null;
  cached = { config, provider };
  return provider;
}
