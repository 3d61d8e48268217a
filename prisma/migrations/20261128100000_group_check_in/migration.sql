-- Group check-in: a scan admitted with its group names the ticket whose scan offered it. Existing
-- scans were single scans, so null is what they are.
ALTER TABLE "CheckInScan" ADD COLUMN "viaTicketId" UUID;
