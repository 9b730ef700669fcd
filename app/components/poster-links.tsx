import { useT } from "~/lib/i18n";
import type { PosterKind } from "~/services/reach/posters.server";

/**
 * "打印海报 / Print poster" for a page residents should find from a notice board: the A4 poster
 * (PDF) with its QR code, and the QR code alone (PNG, SVG) for other prints. Plain downloads.
 */
export function PosterLinks({ kind, slug }: { kind: PosterKind; slug: string }) {
  const t = useT();
  const base = `/posters/${kind}/${encodeURIComponent(slug)}`;
  const link = "text-brand-700 underline";
  return (
    <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm print:hidden" data-testid="poster-links">
      <a href={`${base}/poster.pdf`} download className={`${link} font-medium`} aria-label={t("poster.linkLabel")}>
        {t("poster.link")}
      </a>
      <a href={`${base}/qr.png`} download className={link}>
        {t("poster.qrPng")}
      </a>
      <a href={`${base}/qr.svg`} download className={link}>
        {t("poster.qrSvg")}
      </a>
    </p>
  );
}
