import { hostname } from "node:os";

/**
 * Which instance is speaking, in `/api/health` and on every log line, to tell the instances behind one balancer apart:
 * INSTANCE_ID (the systemd unit sets host:port), else host and port, else host and process.
 */
export const INSTANCE = process.env.INSTANCE_ID || `${hostname()}:${process.env.PORT || process.pid}`;
