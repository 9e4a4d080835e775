-- Columns the order system needs on part 1's tables (added here, never by editing 001/002).
-- users.fence: the highest fencing token that has written this user's order data. An order
-- transaction first runs `UPDATE users SET fence = ? WHERE id = ? AND fence < ?`; a lock
-- holder whose lease expired while it was paused carries an older token and is refused.
ALTER TABLE users ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;

-- A flat discount per coupon, in the smallest currency unit, capped at the order total.
ALTER TABLE coupons ADD COLUMN discount_amount BIGINT NOT NULL DEFAULT 1000;

-- A held coupon is used at most once: the UPDATE that sets used_order_id requires it NULL.
ALTER TABLE user_coupons
  ADD COLUMN used_order_id BIGINT NULL,
  ADD COLUMN used_at TIMESTAMP(3) NULL;
