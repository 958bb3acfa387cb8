import "server-only";
import { getCurrentUser } from "@/lib/auth";
import { AppError } from "./errors";

/** The signed-in user of an API request, or a 401: the proxy alone is not authorization. */
export async function requireApiUser() {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", 401, "Sign in to continue.");
  return user;
}
