import type { ReactNode } from "react";

/** A console page's title and what it is for. */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
      {children ? <p className="mt-2 max-w-3xl text-slate-600">{children}</p> : null}
    </div>
  );
}
