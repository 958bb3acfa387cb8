import { redirect } from "next/navigation";
import { requireAdminPage } from "@/lib/auth/require-admin";

/** The console opens on its clients. */
export default async function AdminPage() {
  await requireAdminPage("/admin");
  redirect("/admin/clients");
}
