import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Hex SHA-256 of a string or bytes: how tokens are stored and files are fingerprinted. */
export const sha256 = (value: string | Uint8Array) => crypto.createHash("sha256").update(value).digest("hex");

/** Hex SHA-256 of a value's JSON: a fingerprint of a document as it was signed or accepted. */
export const sha256Json = (value: unknown) => sha256(JSON.stringify(value));

/** A secret for a link or a cookie: 32 random bytes, URL-safe. */
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

/** Random hex characters for identifiers that need not be secret (2 characters a byte). */
export const randomHex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");

/**
 * The text of a local secret file (in DATA_DIR), created on first use from `make()` with mode
 * 0600. It is written to a temporary file and linked into place: link() fails for every process
 * but the first, so concurrent processes on one DATA_DIR agree on the winner's secret.
 */
export function localSecretFile(file: string, make: () => string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
    fs.writeFileSync(tmp, `${make()}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return fs.readFileSync(file, "utf8");
}
