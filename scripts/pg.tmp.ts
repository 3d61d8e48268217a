import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
await startEmbeddedPostgres({ dataDir: path.resolve(".data", "postgres"), port: 54329, persistent: true });
console.log("up");
setInterval(() => {}, 1 << 30);
