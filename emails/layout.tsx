import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { translate, type Locale } from "../app/lib/i18n";

/** Shared frame of every notification email: brand, body, footer, in the recipient's language. */
export function EmailLayout({ locale, preview, children }: { locale: Locale; preview: string; children: ReactNode }) {
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "'PingFang SC','Microsoft YaHei',Arial,sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Text style={{ fontSize: "18px", fontWeight: 700, color: "#9f1239" }}>{translate(locale, "app.name")}</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={{ fontSize: "12px", color: "#555" }}>{translate(locale, "email.footer")}</Text>
        </Container>
      </Body>
    </Html>
  );
}
