import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { env, resetEnvCache } from "./env.server";
import { logger } from "./logger.server";
import { checkPiiKey, decryptPii, encryptPii, phoneHmac, PiiKeyError, piiKeys, resetPiiKeysForTests, secretHmac } from "./pii.server";

const saved = { key: process.env.PII_ENCRYPTION_KEY, dir: process.env.DATA_DIR };
const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "pii-"));
  dirs.push(d);
  return d;
};
const newKey = () => crypto.randomBytes(32).toString("base64");

function use(key: string | undefined, dataDir = tmpDir()) {
  if (key === undefined) delete process.env.PII_ENCRYPTION_KEY;
  else process.env.PII_ENCRYPTION_KEY = key;
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  resetPiiKeysForTests();
  return dataDir;
}

beforeEach(() => use(newKey()));
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  if (saved.key === undefined) delete process.env.PII_ENCRYPTION_KEY;
  else process.env.PII_ENCRYPTION_KEY = saved.key;
  if (saved.dir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.dir;
  resetEnvCache();
  resetPiiKeysForTests();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("encryptPii / decryptPii", () => {
  it("round-trips and stores a versioned AES-GCM string without the plaintext", () => {
    const stored = encryptPii("13812345678");
    expect(stored).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const [, iv, tag] = stored.split(":");
    expect(Buffer.from(iv!, "base64")).toHaveLength(12);
    expect(Buffer.from(tag!, "base64")).toHaveLength(16);
    expect(stored).not.toContain("13812345678");
    expect(decryptPii(stored)).toBe("13812345678");
    expect(decryptPii(encryptPii("张三丰"))).toBe("张三丰");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptPii("张三丰")).not.toBe(encryptPii("张三丰"));
  });

  it("refuses a value that was altered or made with another key", () => {
    const stored = encryptPii("13812345678");
    const parts = stored.split(":");
    const ct = Buffer.from(parts[3]!, "base64");
    ct[0] = ct[0]! ^ 1;
    expect(() => decryptPii([...parts.slice(0, 3), ct.toString("base64")].join(":"))).toThrow();
    expect(() => decryptPii(`v2:${parts.slice(1).join(":")}`)).toThrow(/v1/);
    use(newKey());
    expect(() => decryptPii(stored)).toThrow();
  });
});

describe("phoneHmac", () => {
  it("is stable for one key and differs between keys", () => {
    const a = phoneHmac("13812345678");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(phoneHmac("13812345678")).toBe(a);
    expect(phoneHmac("13812345679")).not.toBe(a);
    use(newKey());
    expect(phoneHmac("13812345678")).not.toBe(a);
  });

  it("is not a plain hash of the number nor keyed with the encryption key itself", () => {
    const key = newKey();
    use(key);
    const h = phoneHmac("13812345678");
    expect(h).not.toBe(crypto.createHash("sha256").update("13812345678").digest("hex"));
    expect(h).not.toBe(crypto.createHmac("sha256", Buffer.from(key, "base64")).update("13812345678").digest("hex"));
  });
});

describe("secretHmac", () => {
  it("is stable for one key and label, and differs between labels, keys and from the phone HMAC", () => {
    const a = secretHmac("directed-invitation", "K7QM2XPD9RTF");
    expect(secretHmac("directed-invitation", "K7QM2XPD9RTF")).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHmac("other", "K7QM2XPD9RTF")).not.toBe(a);
    expect(phoneHmac("K7QM2XPD9RTF")).not.toBe(a);
    expect(crypto.createHash("sha256").update("K7QM2XPD9RTF").digest("hex")).not.toBe(a);
    use(newKey());
    expect(secretHmac("directed-invitation", "K7QM2XPD9RTF")).not.toBe(a);
  });
});

describe("the key", () => {
  it("comes from PII_ENCRYPTION_KEY when set", () => {
    const key = newKey();
    const dir = use(key);
    expect(checkPiiKey()).toBe("env");
    expect(piiKeys().encryption.toString("base64")).toBe(key);
    expect(fs.existsSync(path.join(dir, "pii.key"))).toBe(false);
  });

  it("refuses to start with a malformed key", () => {
    use("not-a-key");
    expect(() => env()).toThrow(/PII_ENCRYPTION_KEY/);
    use(crypto.randomBytes(16).toString("base64"));
    expect(() => checkPiiKey()).toThrow(/PII_ENCRYPTION_KEY/);
  });

  it("in local mode generates one key file (0600), warns once, and keeps using it", () => {
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    const dir = use(undefined);
    expect(checkPiiKey()).toBe("local");
    const file = path.join(dir, "pii.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = encryptPii("13812345678");
    resetEnvCache();
    // a restart: same file, same key, no second file
    const keyText = fs.readFileSync(file, "utf8");
    expect(decryptPii(stored)).toBe("13812345678");
    encryptPii("x");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![1])).toMatch(/local mode/);
    expect(JSON.stringify(warn.mock.calls)).not.toContain("13812345678");
    expect(fs.readFileSync(file, "utf8")).toBe(keyText);
    expect(fs.readdirSync(dir)).toEqual(["pii.key"]);
  });

  it("refuses a corrupt local key file", () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "pii.key"), "garbage\n");
    use(undefined, dir);
    vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    expect(() => checkPiiKey()).toThrow(PiiKeyError);
  });
});
