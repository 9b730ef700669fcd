import type { Route } from "./+types/areas.$code.showcase";
import { ShowcaseList } from "~/components/showcase-list";
import { PageTitle, TextLink } from "~/components/ui";
import { useLocale, useT } from "~/lib/i18n";
import { localName, pageMeta } from "~/lib/names";
import { areaShowcase } from "~/services/reports/showcase.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  return areaShowcase(params.code, new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "showcase.title");

/** An area's showcase cases (优秀案例), those of the communities below it included. */
export default function AreaShowcase({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { area, cases, page, pages } = loaderData;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/areas/${encodeURIComponent(area.code)}`}>← {localName(locale, area)}</TextLink>
      </p>
      <PageTitle sub={t("showcase.sub")}>
        {localName(locale, area)} · {t("showcase.title")}
      </PageTitle>
      <ShowcaseList cases={cases} page={page} pages={pages} />
    </div>
  );
}
