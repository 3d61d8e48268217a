import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    registrations: new Counter({
      name: "guichet_registrations_total",
      help: "Registrations placed or refused, by edition and outcome (placed or the refusal's reason).",
      labelNames: ["edition", "outcome"] as const,
      registers,
    }),
    seatsLeft: new Gauge({
      name: "guichet_seats_left",
      help: "Seats left per open edition: capacity less confirmed, held and reserved (the same on every instance).",
      labelNames: ["edition"] as const,
      registers,
    }),
    holds: new Gauge({
      name: "guichet_holds",
      help: "Seats held by unpaid orders per open edition (the same on every instance).",
      labelNames: ["edition"] as const,
      registers,
    }),
    webhookDuration: new Histogram({
      name: "guichet_webhook_duration_seconds",
      help: "Stripe webhook handling time, by outcome.",
      labelNames: ["outcome"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    emailQueueDepth: new Gauge({
      name: "guichet_email_queue_depth",
      help: "Email jobs not finished, by queue and state (the same on every instance).",
      labelNames: ["queue", "state"] as const,
      registers,
    }),
    emails: new Counter({
      name: "guichet_emails_total",
      help: "Email delivery attempts by this instance, by queue and outcome.",
      labelNames: ["queue", "outcome"] as const,
      registers,
    }),
    checkinScans: new Counter({
      name: "guichet_checkin_scans_total",
      help: "Check-in scans recorded, by edition, result and mode (online or offline).",
      labelNames: ["edition", "result", "mode"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "guichet_http_request_duration_seconds",
      help: "HTTP request duration, by method, route pattern and status class.",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    sweepDuration: new Histogram({
      name: "guichet_sweep_duration_seconds",
      help: "Background sweep run time, by sweep and outcome.",
      labelNames: ["sweep", "outcome"] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    }),
    refundsPending: new Gauge({
      name: "guichet_refunds_pending",
      help: "Refunds not finished (pending, failed or needing action), by kind (the same on every instance).",
      labelNames: ["kind"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

// One registry per process, whichever bundle imports it first: prom-client refuses a metric declared twice on one
// registry, and a scrape must see the counts every bundle made.
const KEY = Symbol.for("guichet.metrics");

/** Every metric the app exports (docs/operations.md, "Metrics"); `registry.metrics()` is the scrape's text. */
export function metrics(): Metrics {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= createMetrics()) as Metrics;
}
