import "server-only";
import { notFound } from "next/navigation";
import { getCurrentUser, requireUser, type CurrentUser } from "@/lib/auth";

/**
 * For admin pages: the signed-in ADMIN. Signed-out visitors go to /login; everyone else gets a
 * 404, so the console does not even confirm it exists.
 */
export async function requireAdminPage(callbackPath: string): Promise<CurrentUser> {
  const user = await requireUser(callbackPath);
  if (user.role !== "ADMIN") notFound();
  return user;
}

/** For admin server actions: the signed-in ADMIN, or a 404 for anyone else. */
export async function requireAdminAction(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user?.role !== "ADMIN") notFound();
  return user;
}
