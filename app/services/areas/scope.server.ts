import { Prisma } from "~/generated/prisma/client";

/** Prefix pattern of "this area and below" for LIKE (paths hold only [a-z0-9-/]). */
const below = (path: string) => `${path.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * `p."areaPath"` is this area or below. A project's areaPath is always the path of an Area (its
 * community, or its round's area), so the few matching paths are read from the small Area table
 * and the projects found through the index on Project.areaPath: the cost follows the size of
 * the area, not of the whole database.
 */
export const inArea = (path: string) => Prisma.sql`p."areaPath" IN (SELECT a.path FROM "Area" a WHERE a.path LIKE ${below(path)})`;
