import { spawn } from "node:child_process";

/**
 * A Stripe stand-in of a test's own (devtools/local-stripe/serve.ts, in a process: Playwright cannot load it), its
 * events delivered to `webhookUrl` and signed with `webhookSecret`. The suite's own stand-in delivers to the suite's
 * server only.
 */
export async function startStripeStandIn(webhookUrl: string, webhookSecret: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "devtools/local-stripe/serve.ts"], {
    env: { ...process.env, LOCAL_STRIPE_WEBHOOK_URL: webhookUrl, LOCAL_STRIPE_WEBHOOK_SECRET: webhookSecret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { url: string }).url));
    void exited.then((code) => reject(new Error(`the Stripe stand-in exited ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
