"use client";

import { useActionState, useState, type ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { IDLE, type ActionState } from "@/lib/admin/action-state";

type ActionFormProps = {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  /** Hidden fields naming what the action acts on. */
  fields: Record<string, string>;
  label: string;
  /** What the button acts on, read after the label by screen readers: "Rotate key for ch-1". */
  target?: string;
  /** For destructive actions: the first click only asks, this second button acts (and sends confirm=yes). */
  confirmLabel?: string;
  variant?: ComponentProps<typeof Button>["variant"];
};

/** One console action button (or ask-then-act pair) with its outcome announced beside it. */
export function ActionForm({ action, fields, label, target, confirmLabel, variant = "secondary" }: ActionFormProps) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  // The outcome the admin was looking at when asked to confirm: a new outcome closes the question.
  const [askedAt, setAskedAt] = useState<ActionState | null>(null);
  const confirming = confirmLabel !== undefined && askedAt === state;
  // The visible label starts the accessible name, so voice control finds the button by what it shows.
  const named = (text: string) => (target ? `${text} for ${target}` : undefined);

  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirmLabel === undefined ? (
        <Button
          type="submit"
          variant={variant}
          disabled={pending}
          aria-label={named(label)}
          className="px-3 py-1.5 text-xs"
        >
          {label}
        </Button>
      ) : confirming ? (
        <>
          <Button
            type="submit"
            name="confirm"
            value="yes"
            disabled={pending}
            aria-label={confirmLabel && named(confirmLabel)}
            className="px-3 py-1.5 text-xs"
          >
            {confirmLabel}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setAskedAt(null)} className="px-3 py-1.5 text-xs">
            Cancel
          </Button>
        </>
      ) : (
        <Button
          type="button"
          variant={variant}
          onClick={() => setAskedAt(state)}
          aria-label={named(label)}
          className="px-3 py-1.5 text-xs"
        >
          {label}
        </Button>
      )}
      <p role="status" className={state.status === "error" ? "text-xs text-red-700" : "text-xs text-emerald-800"}>
        {state.status === "idle" ? null : state.message}
      </p>
    </form>
  );
}
