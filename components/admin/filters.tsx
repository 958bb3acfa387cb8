import Form from "next/form";
import type { ReactNode } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";

/** A GET form whose fields become the page's search params; a new search starts at page one. */
export function FilterForm({ path, children }: { path: string; children: ReactNode }) {
  return (
    <Form
      action={path}
      role="search"
      aria-label="Filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {children}
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        <ButtonLink href={path} variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </Form>
  );
}

export function TextFilter({
  name,
  label,
  value,
  placeholder,
}: {
  name: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
}) {
  const id = `filter-${name}`;
  return (
    <div className="min-w-56">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} type="search" defaultValue={value ?? ""} placeholder={placeholder} className="mt-1" />
    </div>
  );
}

export function SelectFilter({
  name,
  label,
  value,
  options,
  verbatim = false,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
  /** Show the options as stored (event types, task names) rather than as enum words. */
  verbatim?: boolean;
}) {
  const id = `filter-${name}`;
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <select
        id={id}
        name={name}
        defaultValue={value ?? ""}
        className="mt-1 block rounded-md border-0 py-2 pr-8 pl-3 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600"
      >
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {verbatim ? option : option.toLowerCase().replaceAll("_", " ")}
          </option>
        ))}
      </select>
    </div>
  );
}
