import { translate, type Locale } from "../app/lib/i18n";
import { ActionEmail } from "./action-email";

export interface DataExportReadyProps {
  locale: Locale;
  name: string;
  link: string;
  /** when the link stops working, formatted in the recipient's language (Asia/Shanghai) */
  expiresAt: string;
}

export const subject = ({ locale }: DataExportReadyProps) => translate(locale, "email.dataExport.subject");

export default function DataExportReady({ locale, name, link, expiresAt }: DataExportReadyProps) {
  return <ActionEmail locale={locale} name={name} prefix="email.dataExport" params={{ expiresAt }} link={link} />;
}

DataExportReady.PreviewProps = { locale: "zh-CN", name: "张三", link: "http://localhost:3000/account/export?token=example", expiresAt: "2026年12月13日 10:00" } satisfies DataExportReadyProps;
