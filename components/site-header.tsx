import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { getCurrentUser } from "@/lib/auth";

export async function SiteHeader() {
  const user = await getCurrentUser();

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center justify-between px-6 py-4">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
          <span
            aria-hidden
            className="grid size-7 place-items-center rounded-md bg-brand-600 text-xs font-bold text-white"
          >
            WA
          </span>
          Onboarding Portal
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 text-sm">
          <Link className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100" href="/onboarding">
            Onboarding
          </Link>
          <Link className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100" href="/channels">
            Channels
          </Link>
          {user?.role === "ADMIN" ? (
            <Link className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100" href="/admin">
              Admin
            </Link>
          ) : null}
          {user ? (
            <>
              <span className="ml-2 flex items-center gap-2 text-slate-600" data-testid="signed-in-user">
                <span className="max-w-56 truncate">{user.email}</span>
                {user.role === "ADMIN" ? <Badge tone="info">Admin</Badge> : null}
              </span>
              <Link
                className="rounded-md px-3 py-2 font-semibold text-brand-700 hover:bg-brand-50"
                href="/login/sign-out"
              >
                Sign out
              </Link>
            </>
          ) : (
            <Link className="rounded-md px-3 py-2 font-semibold text-brand-700 hover:bg-brand-50" href="/login">
              Sign in
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}
