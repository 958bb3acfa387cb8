import Link from "next/link";
import type { Page } from "@/lib/admin/search-params";

type PagerProps = {
  path: string;
  /** The page's filters, kept on the links. */
  filters: Record<string, string | number | undefined>;
  page: Pick<Page<unknown>, "page" | "pageCount" | "total">;
  noun: string;
};

function pageHref(path: string, filters: PagerProps["filters"], page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && name !== "page") params.set(name, String(value));
  }
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

const linkClass = "rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";

/** The total, where this page is in it, and the way to the neighbouring pages. */
export function Pager({ path, filters, page, noun }: PagerProps) {
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p>
        {page.total} {noun} · page {Math.min(page.page, page.pageCount)} of {page.pageCount}
      </p>
      <div className="flex gap-2">
        {page.page > 1 ? (
          <Link
            href={pageHref(path, filters, Math.min(page.page - 1, page.pageCount))}
            className={linkClass}
            rel="prev"
          >
            Previous page
          </Link>
        ) : null}
        {page.page < page.pageCount ? (
          <Link href={pageHref(path, filters, page.page + 1)} className={linkClass} rel="next">
            Next page
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
