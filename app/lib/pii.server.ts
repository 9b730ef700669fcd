import crypto from "node:crypto";
import path from "node:path";
import { localSecretFile } from "./crypto.server";
import { env } from "./env.server";
import { logger } from "./logger.server";

/**
 * Encryption at rest of beneficiaries' names and phone numbers (PIPL). AES-256-GCM with a random
 * 12-byte IV per value, stored as "v1:<iv>:<tag>:<ciphertext>" (base64 parts), so a later key or
 * algorithm can be introduced as "v2" without guessing. The key is PII_ENCRYPTION_KEY (base64 of
 * 32 bytes). Without it the app runs in local mode: a key is generated once into
 * `${DATA_DIR}/pii.key` (mode 0600) and a warning says so. Losing that file makes the stored
 * values unreadable, which is why production sets the variable.
 *
 * Duplicate phones are found with `phoneHmac`: HMAC-SHA256 of the normalised number under a key
 * derived from the same key (HKDF, label "phone-hmac"), so the database never needs the number.
 * Nothing here logs a plaintext value.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const KEY_BYTES = 32;

interface Keys {
  encryption: Buffer;
  phoneHmac: Buffer;
  source: "env" | "local";
}

let cached: { config: string; keys: Keys } | undefined;
let warnedLocal = false;

export class PiiKeyError extends Error {
  override name = "PiiKeyError";
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES || key.toString("base64") !== trimmed) {
    throw new PiiKeyError(`${where} must be the base64 encoding of exactly ${KEY_BYTES} bytes (openssl rand -base64 32)`);
  }
  return key;
}

/** The local key file's key, created atomically on first use (concurrent processes agree on one). */
function localKey(dataDir: string): Buffer {
  const file = path.resolve(dataDir, "pii.key");
  return decodeKey(localSecretFile(file, () => crypto.randomBytes(KEY_BYTES).toString("base64")), file);
}

/** The keys in use. Throws PiiKeyError for a malformed key, so a misconfigured server does not start. */
export function piiKeys(): Keys {
  const e = env();
  const config = `${e.PII_ENCRYPTION_KEY ?? ""}|${e.DATA_DIR}`;
  if (cached?.config === config) return cached.keys;
  let encryption: Buffer;
  let source: Keys["source"];
  if (e.PII_ENCRYPTION_KEY) {
    encryption = decodeKey(e.PII_ENCRYPTION_KEY, "PII_ENCRYPTION_KEY");
    source = "env";
  } else {
    encryption = localKey(e.DATA_DIR);
    source = "local";
    if (!warnedLocal) {
      warnedLocal = true;
      logger.warn(
        { keyFile: path.resolve(e.DATA_DIR, "pii.key") },
        "PII_ENCRYPTION_KEY is not set: local mode, beneficiaries' names and phones are encrypted with a key generated into DATA_DIR/pii.key. Set PII_ENCRYPTION_KEY in production.",
      );
    }
  }
  const phoneHmac = Buffer.from(crypto.hkdfSync("sha256", encryption, Buffer.alloc(0), "phone-hmac", KEY_BYTES));
  const keys = { encryption, phoneHmac, source };
  cached = { config, keys };
  return keys;
}

/** Checks the key at start-up (and creates the local one), so a bad key stops the server early. */
export function checkPiiKey(): "env" | "local" {
  return piiKeys().source;
}

/** Encrypts one value: "v1:<iv>:<tag>:<ciphertext>". */
export function encryptPii(plaintext: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", piiKeys().encryption, iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64"), tag.toString("base64"), ct.toString("base64")].join(":");
}

/** Decrypts a value made by `encryptPii`; throws when it was altered or made with another key. */
export function decryptPii(stored: string): string {
  const parts = stored.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error("decryptPii: not a v1 value");
  const [, iv, tag, ct] = parts as [string, string, string, string];
  const decipher = crypto.createDecipheriv("aes-256-gcm", piiKeys().encryption, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8");
}

/** Keyed HMAC-SHA256 (hex) of a normalised phone number, for finding duplicates without decrypting. */
export function phoneHmac(normalisedPhone: string): string {
  return crypto.createHmac("sha256", piiKeys().phoneHmac).update(normalisedPhone, "utf8").digest("hex");
}

/**
 * Keyed HMAC-SHA256 (hex) of a short secret (e.g. a directed-fundraising code) under a key
 * derived for `label`: a stored secret can be found by it, and a copy of the database alone
 * cannot be searched for it by brute force.
 */
export function secretHmac(label: string, value: string): string {
  const key = Buffer.from(crypto.hkdfSync("sha256", piiKeys().encryption, Buffer.alloc(0), `secret-hmac:${label}`, KEY_BYTES));
  return crypto.createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/** Tests switch keys between cases. */
export function resetPiiKeysForTests() {
  cached = undefined;
  warnedLocal = false;
}
