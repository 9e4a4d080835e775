-- First-come coupon issuance.
-- `issued < total` in `UPDATE coupons SET issued = issued + 1 WHERE id = ? AND issued < total`
-- is the last guard against over-issue (the seed's "available > 0"). There is deliberately
-- no CHECK (issued <= total): the `naive` strategy must be able to over-issue so that
-- perf-lab's audit can be shown to catch it.
CREATE TABLE coupons (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(100) NOT NULL,
  total      INT          NOT NULL,
  issued     INT          NOT NULL DEFAULT 0,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT chk_coupons_total CHECK (total >= 0),
  CONSTRAINT chk_coupons_issued CHECK (issued >= 0)
) ENGINE = InnoDB;

-- One row per coupon a user holds. UNIQUE (user_id, coupon_id) makes replays harmless;
-- request_id tells "this very request was already applied" (a redelivery: do nothing) from
-- "another request got there first" (a duplicate: compensate Redis). No foreign key to
-- users: the hot path never reads users, and load tests may issue to unseeded ids.
CREATE TABLE user_coupons (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT       NOT NULL,
  coupon_id  BIGINT       NOT NULL,
  request_id CHAR(36)     NULL,
  issued_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_user_coupons_user_coupon (user_id, coupon_id),
  KEY ix_user_coupons_coupon (coupon_id),
  CONSTRAINT fk_user_coupons_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id)
) ENGINE = InnoDB;

-- Accepted (202) requests the consumer turned down, with why (SOLD_OUT, DUPLICATE). The
-- primary key on request_id makes the compensation run once per request, even when Kafka
-- delivers the message again; the status endpoint and the auditor read the reason here.
CREATE TABLE coupon_issue_rejections (
  request_id  CHAR(36)     NOT NULL PRIMARY KEY,
  user_id     BIGINT       NOT NULL,
  coupon_id   BIGINT       NOT NULL,
  reason      VARCHAR(32)  NOT NULL,
  rejected_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_coupon_issue_rejections_coupon_user (coupon_id, user_id)
) ENGINE = InnoDB;

-- DELIBERATELY BROKEN: where the `naive` strategy writes. No unique key, so its
-- check-then-act races show up as duplicate rows (and `coupons.issued > total`).
CREATE TABLE naive_user_coupons (
  id        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id   BIGINT       NOT NULL,
  coupon_id BIGINT       NOT NULL,
  issued_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_naive_user_coupons_coupon_user (coupon_id, user_id)
) ENGINE = InnoDB;
