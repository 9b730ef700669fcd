import { expect } from "vitest";
import type { ScopedGrant } from "~/domain/permissions";
import { httpStatusOf } from "~/lib/permissions.server";
import { db, makeUser } from "./db";

export type AreaRow = { id: string; path: string; level: string };

/** A fresh account holding `grants`, shaped as the services' actor (the session's Viewer). */
export async function person(grants: { role: ScopedGrant["role"]; area: AreaRow }[] = [], options: { name?: string } = {}) {
  const user = await makeUser(options.name ? { name: options.name } : {});
  for (const g of grants) await db().roleGrant.create({ data: { userId: user.id, role: g.role, areaId: g.area.id } });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    locale: "zh-CN" as const,
    organizations: [] as { id: string }[],
    grants: grants.map((g) => ({ role: g.role, areaPath: g.area.path, areaLevel: g.area.level })),
  };
}

/** The promise fails with the HTTP status a route would answer (403, 404…). */
export async function rejectsWithStatus(promise: Promise<unknown>, status: number) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(httpStatusOf(error)).toBe(status);
}

/** Midnight of a calendar day in Asia/Shanghai. */
export const day = (d: string) => new Date(`${d}T00:00:00+08:00`);
