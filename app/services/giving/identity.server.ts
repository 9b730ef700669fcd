import crypto from "node:crypto";
import { donationRef } from "~/domain/donations";

/** A new gift's public reference and its donor's secret link token. */
export function newDonationIdentity() {
  return { ref: donationRef(crypto.randomBytes(8)), token: crypto.randomBytes(24).toString("base64url") };
}

export const newSecretToken = () => crypto.randomBytes(24).toString("base64url");
