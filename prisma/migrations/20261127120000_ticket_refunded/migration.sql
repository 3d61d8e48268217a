-- A ticket cancelled on its own with its price refunded. In its own migration: an enum value cannot be
-- used in the transaction that adds it.
ALTER TYPE "TicketStatus" ADD VALUE 'REFUNDED';
