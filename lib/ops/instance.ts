import { hostname } from "node:os";

/** Which instance answered (`/api/health`): host and process, to tell the instances behind one balancer apart. */
export const INSTANCE = `${hostname()}:${process.pid}`;
