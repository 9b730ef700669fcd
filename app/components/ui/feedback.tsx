import { useT } from "~/lib/i18n";

/** The one error list of a form (message keys, translated here), announced to screen readers. */
export function Problems({ errors, testId, id }: { errors?: readonly string[] | null; testId?: string; id?: string }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div role="alert" id={id} className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid={testId ?? "form-problems"}>
      <ul className="list-inside list-disc">
        {errors.map((e) => (
          <li key={e}>{t(e)}</li>
        ))}
      </ul>
    </div>
  );
}

export function Done({ message }: { message?: string | null }) {
  const t = useT();
  if (!message) return null;
  return (
    <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="done">
      {t(message)}
    </p>
  );
}
