import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { requireAdminPage } from "@/lib/auth/require-admin";
import { listPendingBindings } from "@/lib/clients/pending-bindings";
import { getDb } from "@/lib/db";
import { decideBindingAction } from "./actions";

export const metadata = { title: "Binding approvals" };
export const dynamic = "force-dynamic";

/**
 * Clients whose 360dialog contact email did not match the email of the user who connected them.
 * Approve only when you know the user speaks for that business; no API key exists before.
 */
export default async function BindingApprovalsPage() {
  await requireAdminPage("/admin/bindings");
  const pending = await listPendingBindings(getDb());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Binding approvals</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          These clients were connected by a user whose sign-in email differs from the contact email 360dialog holds for
          the client. Approve only when you know the user speaks for that business.
        </p>
      </div>
      {pending.length === 0 ? (
        <Card>
          <CardTitle>Nothing is waiting</CardTitle>
          <CardDescription>New requests appear here as soon as they arrive.</CardDescription>
        </Card>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Clients awaiting approval</caption>
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">
                  360dialog client
                </th>
                <th scope="col" className="px-4 py-3">
                  Connected by
                </th>
                <th scope="col" className="px-4 py-3">
                  Contact email at 360dialog
                </th>
                <th scope="col" className="px-4 py-3">
                  Numbers
                </th>
                <th scope="col" className="px-4 py-3">
                  Requested
                </th>
                <th scope="col" className="px-4 py-3">
                  <span className="sr-only">Decision</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pending.map((request) => (
                <tr key={request.id} data-client={request.hubClientId}>
                  <td className="px-4 py-3">
                    <div className="font-mono">{request.hubClientId}</div>
                    {request.clientName ? <div className="text-slate-500">{request.clientName}</div> : null}
                  </td>
                  <td className="px-4 py-3">{request.claimantEmail}</td>
                  <td className="px-4 py-3">{request.contactEmail ?? "not reported"}</td>
                  <td className="px-4 py-3 font-mono">
                    {request.channels.map((channel) => (
                      <div key={channel.id}>{channel.phoneNumber ?? channel.id}</div>
                    ))}
                  </td>
                  <td className="px-4 py-3">
                    <time dateTime={request.requestedAt}>{request.requestedAt.slice(0, 16).replace("T", " ")} UTC</time>
                  </td>
                  <td className="px-4 py-3">
                    <form action={decideBindingAction} className="flex gap-2">
                      <input type="hidden" name="clientId" value={request.id} />
                      <Button
                        type="submit"
                        name="decision"
                        value="approve"
                        aria-label={`Approve ${request.hubClientId}`}
                      >
                        Approve
                      </Button>
                      <Button
                        type="submit"
                        name="decision"
                        value="reject"
                        variant="secondary"
                        aria-label={`Reject ${request.hubClientId}`}
                      >
                        Reject
                      </Button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
