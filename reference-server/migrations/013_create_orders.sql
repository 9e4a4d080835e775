-- An order, its lines and its payment, all written in one transaction with the stock
-- decrement, the balance debit, the ledger row and the outbox event.
-- UNIQUE (user_id, idempotency_key): a replayed Idempotency-Key finds the first order; when
-- two replays race without a lock (scope `none`), this key decides which one commits.
-- NULLs never collide, so orders sent without a key are unaffected. `request_hash` lets a
-- replay with a different body be refused instead of silently answered with another order.
CREATE TABLE orders (
  id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT       NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  total_amount    BIGINT       NOT NULL,
  discount_amount BIGINT       NOT NULL DEFAULT 0,
  paid_amount     BIGINT       NOT NULL,
  coupon_id       BIGINT       NULL,
  idempotency_key VARCHAR(100) NULL,
  request_hash    CHAR(64)     NULL,
  created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_orders_user_idempotency (user_id, idempotency_key),
  KEY ix_orders_user_id (user_id, id),
  CONSTRAINT chk_orders_amounts CHECK (paid_amount >= 0 AND discount_amount >= 0 AND paid_amount = total_amount - discount_amount)
) ENGINE = InnoDB;

CREATE TABLE order_items (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id   BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  quantity   INT    NOT NULL,
  unit_price BIGINT NOT NULL,
  KEY ix_order_items_order (order_id),
  KEY ix_order_items_product (product_id),
  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT chk_order_items_quantity CHECK (quantity > 0)
) ENGINE = InnoDB;

-- One payment per order (UNIQUE order_id); transaction_id ties it to its balance_history row.
CREATE TABLE payments (
  id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id       BIGINT       NOT NULL,
  user_id        BIGINT       NOT NULL,
  amount         BIGINT       NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  transaction_id VARCHAR(100) NOT NULL,
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_payments_order (order_id),
  UNIQUE KEY uq_payments_transaction (transaction_id),
  CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE = InnoDB;
