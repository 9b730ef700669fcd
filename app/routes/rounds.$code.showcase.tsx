import type { Route } from "./+types/rounds.$code.showcase";
import { ShowcaseList } from "~/components/showcase-list";
import { PageTitle, TextLink } from "~/components/ui";
import { useLocale, useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";
import { roundShowcase } from "~/services/reports/showcase.server";

export async function loader({ request, params }: Route.LoaderArgs) {
  return roundShowcase(params.code, new URL(request.url).searchParams.get("page"));
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "showcase.title");

/** A round's showcase cases (优秀案例). */
export default function RoundShowcase({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { round, cases, page, pages } = loaderData;
  const title = locale === "en" && round.titleEn ? round.titleEn : round.title;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <TextLink to={`/rounds/${encodeURIComponent(round.code)}`}>← {title}</TextLink>
      </p>
      <PageTitle sub={t("showcase.sub")}>
        {round.code} · {t("showcase.title")}
      </PageTitle>
      <ShowcaseList cases={cases} page={page} pages={pages} />
    </div>
  );
}
