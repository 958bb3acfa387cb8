/** What a console action tells the page: nothing yet, or one line of outcome. */
export type ActionState = { status: "idle" } | { status: "success" | "error"; message: string };

export const IDLE: ActionState = { status: "idle" };
