import { useT } from "~/lib/i18n";

/**
 * The eligibility rules of a round that an organization fails (domain/eligibility.ts), each
 * message naming its rule; nothing when it qualifies. Shown before anyone writes a proposal.
 */
export function EligibilityNotice({ messages, name }: { messages: readonly string[]; name?: string }) {
  const t = useT();
  if (!messages.length) return null;
  return (
    <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950" data-testid="eligibility-problems">
      <p className="font-medium">{name ? `${name}：${t("eligibility.title")}` : t("eligibility.title")}</p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {messages.map((m) => (
          <li key={m}>{t(m)}</li>
        ))}
      </ul>
    </div>
  );
}
