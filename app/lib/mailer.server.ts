import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env.server";

let transporter: Transporter | undefined;

/** The SMTP transport, or null in local mail mode (no SMTP_HOST). */
export function smtpTransport(): Transporter | null {
  const e = env();
  if (!e.SMTP_CONFIGURED) return null;
  transporter ??= nodemailer.createTransport({
    host: e.SMTP_HOST,
    port: e.SMTP_PORT,
    secure: e.SMTP_SECURE,
    auth: e.SMTP_USER ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD ?? "" } : undefined,
    // a local/test relay may offer STARTTLS with a self-signed certificate
    tls: { rejectUnauthorized: e.NODE_ENV === "production" },
  });
  return transporter;
}

export function resetMailer() {
  transporter?.close();
  transporter = undefined;
}
