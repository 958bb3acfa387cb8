// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import axe from "axe-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ActionState } from "@/lib/admin/action-state";
import { ActionForm } from "./action-form";
import { DataTable, type DataTableRow } from "./data-table";

afterEach(cleanup);

async function seriousViolations(container: HTMLElement) {
  const { violations } = await axe.run(container);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

const rows: DataTableRow[] = [
  {
    id: "1",
    attributes: { "data-channel": "ch-b" },
    cells: { name: { content: "Beta", sortValue: "beta" }, n: { content: "2", sortValue: 2 } },
  },
  {
    id: "2",
    attributes: { "data-channel": "ch-a" },
    cells: { name: { content: "Alpha", sortValue: "alpha" }, n: { content: "10", sortValue: 10 } },
  },
];
const columns = [
  { id: "name", header: "Name", sortable: true },
  { id: "n", header: "Count", sortable: true },
  { id: "actions", header: "Actions", hiddenHeader: true },
];

const bodyOrder = () =>
  within(screen.getByRole("table"))
    .getAllByRole("row")
    .slice(1)
    .map((row) => row.getAttribute("data-channel"));

describe("DataTable", () => {
  it("keeps the server's order until a header sorts the page, and says how it is sorted", async () => {
    render(<DataTable caption="Channels" columns={columns} rows={rows} />);
    expect(bodyOrder()).toEqual(["ch-b", "ch-a"]);
    const nameHeader = screen.getByRole("columnheader", { name: /Name/ });
    expect(nameHeader.getAttribute("aria-sort")).toBe("none");

    fireEvent.click(within(nameHeader).getByRole("button"));
    expect(bodyOrder()).toEqual(["ch-a", "ch-b"]);
    expect(nameHeader.getAttribute("aria-sort")).toBe("ascending");

    fireEvent.click(within(nameHeader).getByRole("button"));
    expect(bodyOrder()).toEqual(["ch-b", "ch-a"]);
    expect(nameHeader.getAttribute("aria-sort")).toBe("descending");
  });

  it("has a caption, scoped headers and no serious accessibility findings, empty or not", async () => {
    const { container, rerender } = render(<DataTable caption="Channels" columns={columns} rows={rows} />);
    expect(screen.getByRole("table", { name: "Channels" })).toBeTruthy();
    expect([...container.querySelectorAll("th")].every((th) => th.getAttribute("scope") === "col")).toBe(true);
    expect(await seriousViolations(container)).toEqual([]);
    rerender(<DataTable caption="Channels" columns={columns} rows={[]} />);
    expect(screen.getByText("Nothing matches these filters.")).toBeTruthy();
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("ActionForm", () => {
  it("acts only after the confirmation, sends it, and shows the outcome", async () => {
    const action = vi.fn(async (_state: ActionState, formData: FormData): Promise<ActionState> => ({
      status: "error",
      message: `refused ${String(formData.get("channelId"))} ${String(formData.get("confirm"))}`,
    }));
    const { container } = render(
      <ActionForm
        action={action}
        fields={{ channelId: "c1" }}
        label="Rotate key"
        confirmLabel="Confirm rotation"
        target="ch-1"
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Rotate key for ch-1" }));
    expect(action).not.toHaveBeenCalled();
    expect(await seriousViolations(container)).toEqual([]);

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Confirm rotation for ch-1" }));
    });

    expect(action).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("status").textContent).toBe("refused c1 yes");
    // The question closes with the outcome: the next rotation asks again.
    expect(screen.getByRole("button", { name: "Rotate key for ch-1" })).toBeTruthy();
  });

  it("can be cancelled, and a plain action submits at once", async () => {
    const action = vi.fn(async (): Promise<ActionState> => ({ status: "success", message: "Queued." }));
    render(
      <>
        <ActionForm action={action} fields={{ id: "1" }} label="Reject" confirmLabel="Confirm rejection" />
        <ActionForm action={action} fields={{ id: "2" }} label="Retry" />
      </>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Reject" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("button", { name: "Confirm rejection" })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    });
    expect(action).toHaveBeenCalledTimes(1);
    expect(screen.getAllByRole("status").map((status) => status.textContent)).toEqual(["", "Queued."]);
  });
});
