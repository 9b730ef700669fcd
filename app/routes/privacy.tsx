import type { Route } from "./+types/privacy";
import { RetentionTable } from "~/components/privacy";
import { PageTitle, Section, TextLink } from "~/components/ui";
import { PRIVACY_NOTICE_VERSION } from "~/domain/privacy-notice";
import { useT } from "~/lib/i18n";
import { pageMeta } from "~/lib/names";

/** The privacy notice now in force. Public; open to a signed-in person who has not accepted it yet. */
export function loader() {
  return { version: PRIVACY_NOTICE_VERSION };
}

export const meta: Route.MetaFunction = ({ matches }) => pageMeta(matches, "privacy.title");

const SECTIONS = [
  { id: "collect", items: ["account", "signin", "consent", "gifts", "participation", "beneficiaries"] },
  { id: "why", items: ["account", "gifts", "participation", "consent"] },
  { id: "sees", items: ["public", "staff", "processors"] },
] as const;

export default function PrivacyNotice({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <PageTitle sub={t("privacy.version", { version: loaderData.version })}>{t("privacy.title")}</PageTitle>
      <p>{t("privacy.intro")}</p>
      <Section title={t("privacy.controller.title")} size="lg">
        <p>{t("privacy.controller.body")}</p>
      </Section>
      {SECTIONS.map((s) => (
        <Section key={s.id} title={t(`privacy.${s.id}.title`)} size="lg" testId={`privacy-${s.id}`}>
          <ul className="list-disc space-y-1 pl-5">
            {s.items.map((item) => (
              <li key={item}>{t(`privacy.${s.id}.${item}`)}</li>
            ))}
          </ul>
        </Section>
      ))}
      <Section anchor="retention" title={t("privacy.retention.title")} size="lg">
        <RetentionTable />
      </Section>
      <Section anchor="rights" title={t("privacy.rights.title")} size="lg">
        <ul className="list-disc space-y-1 pl-5">
          <li>{t("privacy.rights.download")}</li>
          <li>{t("privacy.rights.delete")}</li>
          <li>{t("privacy.rights.correct")}</li>
          <li>{t("privacy.rights.withdraw")}</li>
        </ul>
        <p>
          <TextLink to="/account">{t("auth.account.title")}</TextLink>
        </p>
      </Section>
      <Section title={t("privacy.changes.title")} size="lg">
        <p>{t("privacy.changes.body")}</p>
      </Section>
    </article>
  );
}
