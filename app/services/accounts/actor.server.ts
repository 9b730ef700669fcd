import type { ScopedGrant } from "~/domain/permissions";
import type { Locale } from "~/lib/i18n";

/**
 * Actor does something in a use-case: the signed-in Viewer as the session carries it, or the same
 * shape built by the demo seed, jobs and tests. Every service takes this one type; each wing's
 * access.server.ts decides what it may read or write.
 */
export interface Actor {
  id: string;
  name: string;
  locale: Locale;
  /** active role grants with their areas */
  grants: readonly ScopedGrant[];
  /** organizations the actor is a member of (applicants) */
  organizations: readonly { id: string }[];
}
