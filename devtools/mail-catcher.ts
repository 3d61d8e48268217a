import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createLogger, createOrchestrator, DEFAULT_CONFIG } from "maildev";

/**
 * MailDev on loopback: it keeps every email the app sends and shows them on a web page. It runs in
 * this process so its web server can be guarded: MailDev answers any Origin with credentials
 * (CORS), which would let any web page open on this machine read sign-in links and private ticket
 * links, so only its own page may read it (see guardOwnPageOnly).
 */
export async function startMailCatcher({
  smtpPort,
  webPort,
  mailDir,
}: {
  smtpPort: number;
  webPort: number;
  mailDir: string;
}) {
  const orchestrator = createOrchestrator({
    config: {
      ...DEFAULT_CONFIG,
      smtp: smtpPort,
      ip: "127.0.0.1",
      web: webPort,
      webIp: "127.0.0.1",
      mailDirectory: mailDir,
      silent: true,
    },
    logger: createLogger({ silent: true }),
  });
  const { api } = await orchestrator.start();
  if (!api) throw new Error("the mail catcher's web server did not start");
  const port = api.getAddress()?.port ?? webPort;
  guardOwnPageOnly(api.server.server, port);
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl: `http://127.0.0.1:${port}`,
    stop: () => orchestrator.stop(),
  };
}

/**
 * Lets through only requests from the catcher's own page: a Host naming this machine (not a DNS
 * name rebound to 127.0.0.1) and no Origin, or its own. Other pages are refused before MailDev
 * (its API and its live-update socket) sees them.
 */
function guardOwnPageOnly(server: Server, port: number) {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const isOwnPage = (request: IncomingMessage) => {
    const origin = request.headers.origin;
    return (
      hosts.includes(request.headers.host ?? "") &&
      (origin === undefined || hosts.some((host) => origin === `http://${host}`))
    );
  };
  const requestHandlers = server.listeners("request") as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (isOwnPage(request)) for (const handler of requestHandlers) handler.call(server, request, response);
    else
      response.writeHead(403, { "content-type": "text/plain" }).end("Only the mail catcher's own page may read it.\n");
  });
  const upgradeHandlers = server.listeners("upgrade") as ((
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) => void)[];
  server.removeAllListeners("upgrade");
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isOwnPage(request)) for (const handler of upgradeHandlers) handler.call(server, request, socket, head);
    else socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
  });
}
