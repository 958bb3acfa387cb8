import "server-only";
import { getCurrentUser, type CurrentUser } from "@/lib/auth";
import { AppError } from "@/lib/http/errors";

/**
 * For admin API routes: the signed-in ADMIN, or the house 404 body for anyone else (signed out
 * included), so the API does not confirm it exists. `notFound()` would answer an empty 404 instead.
 */
export async function requireAdminApi(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user?.role !== "ADMIN") throw new AppError("not_found", 404, "Not found.");
  return user;
}
