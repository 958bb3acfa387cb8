import { redirect } from "next/navigation";
import { requireAdminPage } from "@/lib/auth/require-admin";

/** The console's first page, until it has more than the binding approvals. */
export default async function AdminPage() {
  await requireAdminPage("/admin");
  redirect("/admin/bindings");
}
