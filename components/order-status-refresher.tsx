"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const EVERY_MS = 1500;
const PATIENCE_MS = 120_000;

/**
 * While Stripe's webhook is on its way, re-render the order page every 1.5 s; the server stops
 * rendering this island once the order has left PENDING. After two minutes, say so and stop.
 */
export function OrderStatusRefresher({ stillWaiting }: { stillWaiting: string }) {
  const router = useRouter();
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > PATIENCE_MS) {
        clearInterval(timer);
        setGaveUp(true);
        return;
      }
      router.refresh();
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <p className="muted" aria-live="polite">
      {gaveUp ? stillWaiting : <span className="spinner" aria-hidden="true" />}
    </p>
  );
}
