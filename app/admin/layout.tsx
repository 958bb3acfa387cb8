import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { REQUEST_PATH_HEADER } from "@/lib/auth";
import { requireAdminPage } from "@/lib/auth/require-admin";

/**
 * The console's frame. The check here keeps the navigation from rendering for anyone but an ADMIN;
 * every page checks again, because Next renders a layout and its page concurrently.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminPage((await headers()).get(REQUEST_PATH_HEADER) ?? "/admin");
  return (
    <div className="mx-auto w-full max-w-7xl space-y-6 px-6 py-10">
      <AdminNav />
      {children}
    </div>
  );
}
