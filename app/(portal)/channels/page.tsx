import { ChannelList } from "@/components/channels/channel-list";
import { QueryProvider } from "@/components/providers/query-provider";
import { requireUser } from "@/lib/auth";
import { listUserChannels } from "@/lib/channels/list-user-channels";
import { getDb } from "@/lib/db";

export const metadata = { title: "Your channels" };

export default async function ChannelsPage() {
  const user = await requireUser("/channels");
  const channels = await listUserChannels(getDb(), user.id);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Your channels</h1>
      <QueryProvider>
        <ChannelList initial={channels} />
      </QueryProvider>
    </div>
  );
}
