/**
 * Runs work after the answer has gone (Next's `after` in a request), so how long the answer takes
 * cannot tell what the work found. Outside a request (tests, scripts), `runNow` does it before.
 */
export type Defer = (work: () => Promise<void>) => Promise<void> | void;

export const runNow: Defer = (work) => work();
