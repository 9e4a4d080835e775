-- Transactional outbox: the event is committed with the order, and the relay publishes it
-- later (at-least-once). The index on (sent_at, id) serves the relay's
-- `WHERE sent_at IS NULL ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED` without scanning
-- everything already sent.
CREATE TABLE outbox_events (
  id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  aggregate_type VARCHAR(32)  NOT NULL,
  aggregate_id   VARCHAR(64)  NOT NULL,
  type           VARCHAR(64)  NOT NULL,
  payload        JSON         NOT NULL,
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sent_at        TIMESTAMP(3) NULL,
  KEY ix_outbox_events_pending (sent_at, id)
) ENGINE = InnoDB;
