import { spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the mail catcher did not open port ${port}`);
}

/** MailDev on loopback: it keeps every email the app sends and shows them on a web page. */
export async function startMailCatcher({ smtpPort, webPort, mailDir }: { smtpPort: number; webPort: number; mailDir: string }) {
  const bin = path.join(process.cwd(), "node_modules", "maildev", "dist", "bin", "maildev.js");
  const child = spawn(
    process.execPath,
    [bin, "--smtp", String(smtpPort), "--ip", "127.0.0.1", "--web", String(webPort), "--web-ip", "127.0.0.1", "--mail-directory", mailDir, "--silent"],
    { stdio: "ignore" },
  );
  await waitForPort(smtpPort, 15_000);
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, webUrl: `http://127.0.0.1:${webPort}`, stop: () => child.kill("SIGTERM") };
}
