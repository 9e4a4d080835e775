-- The outbox relay no longer keeps a transaction open while it waits on Kafka (a stalled
-- broker held row and gap locks on the pending index, and every new order's outbox INSERT
-- queued behind them). It claims a batch in a short statement, publishes with no transaction
-- open, then marks the batch sent. claim_token says which relay run took a row, claimed_until
-- until when: a claim whose relay died expires and the rows are taken again (at least once).
ALTER TABLE outbox_events
  ADD COLUMN claim_token CHAR(36) NULL,
  ADD COLUMN claimed_until TIMESTAMP(3) NULL,
  ADD KEY ix_outbox_events_claim (claim_token);
