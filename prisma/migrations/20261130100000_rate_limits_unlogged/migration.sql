-- Rate-limit counters are on every registration's path, and each count was a commit waiting for its WAL to reach
-- the disk. Unlogged, a count commits without that wait. What that gives up: after a crash (or on a replica
-- promoted after a failover) Postgres empties the table, so every client's current window starts again, which a
-- limit of a few attempts per hour can afford. The counts a running server keeps are as exact as before.
ALTER TABLE "RateLimit" SET UNLOGGED;
