import { expect, type Page } from "@playwright/test";
import { linkIn, waitForMail, type ReceivedMail } from "../support/smtp";

export const SMTP_API = `http://127.0.0.1:${process.env.E2E_SMTP_API_PORT ?? 4026}`;
export const DEMO_PASSWORD = "Danghu-2026";

export const mailTo = (to: string, match?: (m: ReceivedMail) => boolean) => waitForMail(SMTP_API, to, match);
export { linkIn };

export const uniqueEmail = (prefix = "e2e") => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/**
 * Signs in through the real form and waits for its answer — signed in (the header names the
 * viewer) or refused (an alert) — so that the test's next navigation cannot race the POST.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^密码|^Password/).fill(password);
  await page.getByRole("button", { name: /^登录$|^Sign in$/ }).click();
  await expect(page.getByTestId("viewer-role").or(page.getByRole("alert"))).toBeVisible();
}
