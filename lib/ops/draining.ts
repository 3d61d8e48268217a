// One flag per process: shutdown runs in instrumentation's bundle, /api/ready in a route's, and both must see it.
const KEY = Symbol.for("guichet.draining");
const flags = globalThis as Record<symbol, boolean | undefined>;

/** From SIGTERM on, /api/ready answers 503 so the balancer sends new requests elsewhere while this one finishes. */
export function startDraining(): void {
  flags[KEY] = true;
}

export function isDraining(): boolean {
  return flags[KEY] === true;
}
