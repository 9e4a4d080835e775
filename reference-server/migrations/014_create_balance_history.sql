-- The balance ledger: one row per change of users.balance, written in the same transaction.
-- `amount` is signed (CHARGE > 0, PAYMENT < 0), so SUM(amount) per user must equal the
-- balance's drift from its seeded value — what perf-lab's auditor checks.
-- transaction_id UNIQUE is the seed's idempotency guard: a charge or payment applied twice
-- fails on this key and its whole transaction rolls back.
CREATE TABLE balance_history (
  id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  transaction_id VARCHAR(100) NOT NULL,
  user_id        BIGINT       NOT NULL,
  amount         BIGINT       NOT NULL,
  type           VARCHAR(16)  NOT NULL,
  balance_after  BIGINT       NOT NULL,
  order_id       BIGINT       NULL,
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_balance_history_transaction (transaction_id),
  KEY ix_balance_history_user (user_id, id),
  CONSTRAINT chk_balance_history_type CHECK (type IN ('CHARGE', 'PAYMENT')),
  CONSTRAINT chk_balance_history_after CHECK (balance_after >= 0)
) ENGINE = InnoDB;
