import type { Metadata } from "next";
import type { ReactNode } from "react";
import { OPENER_GUARD_SCRIPT } from "@/components/onboarding/opener-guard";
import { SiteHeader } from "@/components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Onboarding Portal", template: "%s · Onboarding Portal" },
  description: "Connect your WhatsApp Business number through 360dialog's Integrated Onboarding.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        {/* First in the body, so it runs before any script that could talk to the opener. */}
        <script dangerouslySetInnerHTML={{ __html: OPENER_GUARD_SCRIPT }} />
        <SiteHeader />
        <main className="w-full flex-1">{children}</main>
        <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-500">
          WhatsApp Business API onboarding, powered by 360dialog Integrated Onboarding.
        </footer>
      </body>
    </html>
  );
}
