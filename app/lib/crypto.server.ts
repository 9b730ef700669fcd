import crypto from "node:crypto";

/** Hex SHA-256 of a string or bytes: how tokens are stored and files are fingerprinted. */
export const sha256 = (value: string | Uint8Array) => crypto.createHash("sha256").update(value).digest("hex");

/** Hex SHA-256 of a value's JSON: a fingerprint of a document as it was signed or accepted. */
export const sha256Json = (value: unknown) => sha256(JSON.stringify(value));

/** A secret for a link or a cookie: 32 random bytes, URL-safe. */
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

/** Random hex characters for identifiers that need not be secret (2 characters a byte). */
export const randomHex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
