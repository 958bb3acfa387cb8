import type { ReactNode } from "react";

/** The client's pages: a reading width. The console (app/admin) is wider, for its tables. */
export default function PortalLayout({ children }: { children: ReactNode }) {
  return <div className="mx-auto w-full max-w-5xl px-6 py-10">{children}</div>;
}
