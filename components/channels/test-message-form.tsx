"use client";

import { useId, useState, type FormEvent } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import type { ChannelView } from "@/lib/channels/list-user-channels";
import { useSendTestMessage } from "@/lib/channels/client/use-send-test-message";

const statusTone: Record<string, BadgeTone> = { DELIVERED: "success", READ: "success", FAILED: "danger" };
const statusWord: Record<string, string> = {
  SENDING: "accepted, waiting for WhatsApp",
  SENT: "sent",
  DELIVERED: "delivered",
  READ: "read",
  FAILED: "failed",
};

/**
 * "Send a test message": proves the chain from the stored key to a phone. A template by default,
 * because free text reaches only people who wrote to the number in the last 24 hours.
 */
export function TestMessageForm({ channel }: { channel: ChannelView }) {
  const send = useSendTestMessage(channel.id);
  const [kind, setKind] = useState<"template" | "text">("template");
  const ids = { to: useId(), kind: useId(), body: useId() };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const to = String(form.get("to") ?? "");
    send.mutate(kind === "text" ? { kind, to, body: String(form.get("body") ?? "") } : { kind, to });
  }

  return (
    <section className="mt-4 border-t border-slate-100 pt-4" aria-label={`Test message for ${channel.id}`}>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <Label htmlFor={ids.to}>Send a test message to</Label>
          <Input id={ids.to} name="to" type="tel" required placeholder="+49 151 2345678" autoComplete="off" />
        </div>
        <div>
          <Label htmlFor={ids.kind}>Message</Label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(event) => setKind(event.target.value === "text" ? "text" : "template")}
            className="block rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300"
          >
            <option value="template">Template hello_world (any time)</option>
            <option value="text">Text (recipient wrote in the last 24 h)</option>
          </select>
        </div>
        {kind === "text" ? (
          <div className="min-w-48 flex-1">
            <Label htmlFor={ids.body}>Text</Label>
            <Input id={ids.body} name="body" required maxLength={1024} defaultValue="Hello from the portal" />
          </div>
        ) : null}
        <Button type="submit" variant="secondary" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send test message"}
        </Button>
      </form>
      {send.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {send.error.message}
        </p>
      ) : null}
      {channel.messages.length > 0 ? (
        <ul className="mt-3 space-y-1 text-sm text-slate-600" aria-label="Test messages" aria-live="polite">
          {channel.messages.map((message) => (
            <li key={message.id} data-testid="test-message" data-status={message.status} className="flex gap-2">
              <span>
                {message.kind} to ···{message.recipientLast4}
              </span>
              <Badge tone={statusTone[message.status] ?? "info"}>{statusWord[message.status] ?? message.status}</Badge>
              {message.error ? <span className="text-red-700">{message.error}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
