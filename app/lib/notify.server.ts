import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./db.server";

/**
 * Puts a message in a user's in-app inbox, in the caller's transaction. `kind` names a message
 * key under `inbox.<kind>.title` / `inbox.<kind>.body`; `params` fill its placeholders. The text
 * is rendered in the reader's language when they read it.
 */
export async function notify(
  tx: Tx,
  input: { userId: string; kind: string; params?: Record<string, string | number>; link?: string },
): Promise<void> {
  await tx.notification.create({
    data: {
      userId: input.userId,
      kind: input.kind,
      params: (input.params ?? {}) as Prisma.InputJsonValue,
      link: input.link ?? null,
    },
  });
}
