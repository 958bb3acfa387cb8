"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const SECTIONS = [
  { href: "/admin/clients", label: "Clients" },
  { href: "/admin/channels", label: "Channels" },
  { href: "/admin/bindings", label: "Approvals" },
  { href: "/admin/events", label: "Webhook events" },
  { href: "/admin/jobs", label: "Failed jobs" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/funnel", label: "Funnel" },
  { href: "/admin/setup", label: "Setup doctor" },
] as const;

/** The console's sections; the current one is marked for screen readers too. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex flex-wrap gap-1 border-b border-slate-200 pb-3 text-sm">
      {SECTIONS.map((section) => {
        const current = pathname === section.href || pathname.startsWith(`${section.href}/`);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={current ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100",
              current && "bg-slate-900 text-white hover:bg-slate-800",
            )}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
