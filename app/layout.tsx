import type { Metadata } from "next";
import type { ReactNode } from "react";
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
        <SiteHeader />
        <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-10">{children}</main>
        <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-500">
          WhatsApp Business API onboarding, powered by 360dialog Integrated Onboarding.
        </footer>
      </body>
    </html>
  );
}
