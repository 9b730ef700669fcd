import type { Route } from "./+types/areas";
import { EmptyState, PageTitle, TitleLink } from "~/components/ui";
import { formatNumber, useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { areaTree, type AreaNode } from "~/services/areas/areas.server";
import { LeafTable } from "~/components/area-table";

export async function loader() {
  return { tree: await areaTree() };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "areas.title");

export default function Areas({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { tree } = loaderData;
  return (
    <div>
      <PageTitle sub={t("areas.subtitle")}>{t("areas.title")}</PageTitle>
      {tree.length === 0 ? (
        <EmptyState title={t("areas.empty")} />
      ) : (
        <div className="space-y-10">
          {tree.map((root) => (
            <Branch key={root.code} node={root} depth={2} />
          ))}
        </div>
      )}
    </div>
  );
}

/** A district or subdistrict: its heading and totals, then its children. */
function Branch({ node, depth }: { node: AreaNode; depth: 2 | 3 }) {
  const t = useT();
  const locale = useLocale();
  const leaves = node.children.filter((c) => c.level === "COMMUNITY" || c.level === "VILLAGE");
  const branches = node.children.filter((c) => c.level !== "COMMUNITY" && c.level !== "VILLAGE");
  const Heading = depth === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={`area-${node.code}`} className="space-y-4">
      <div>
        <Heading id={`area-${node.code}`} className={depth === 2 ? "text-xl font-semibold" : "text-lg font-semibold"}>
          {/* underlined: the level beside it makes the heading a line of text, where colour alone does not mark a link */}
          <TitleLink to={`/areas/${node.code}`} className="underline">
            {localName(locale, node)}
          </TitleLink>
          <span className="ml-2 text-sm font-normal text-slate-600">{t(`area.level.${node.level}`)}</span>
        </Heading>
        <p className="mt-1 text-sm text-slate-700">
          {t("areas.totals", {
            communities: formatNumber(locale, node.totals.communities),
            villages: formatNumber(locale, node.totals.villages),
            residents: formatNumber(locale, node.totals.residents),
          })}
        </p>
      </div>
      {branches.map((b) => (
        <Branch key={b.code} node={b} depth={3} />
      ))}
      {leaves.length ? <LeafTable parent={node} leaves={leaves} /> : null}
      {node.children.length === 0 ? <EmptyState title={t("areas.noChildren")} /> : null}
    </section>
  );
}
