/** What "Confirm the matched orders" answers: each order's result, or why nothing was done. */
export type ConfirmState =
  | { status: "idle" }
  | { status: "error"; message: "forbidden" | "not_found" | "failed" }
  | {
      status: "done";
      results: { lineId: string; reference: string; editionSlug: string; ok: boolean; outcome: string }[];
    };
