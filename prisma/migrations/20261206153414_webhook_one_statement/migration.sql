-- Hand-written: the Stripe webhook's one-statement path (docs/decisions/022-webhook-hot-path.md).
-- A Checkout Session's event is applied by a single statement that commits on its own; these two
-- functions let that statement refuse, and roll back whole, when what it read has changed.

-- Takes the PaymentIntent's transaction lock (the key lockPaymentIntent uses: 'pi:' || id), then
-- looks for facts parked for it. PL/pgSQL runs each of its queries with a fresh snapshot, so the
-- look happens after the lock is held: a refund that parked a fact and committed while the
-- calling statement waited for the lock is seen, although the statement's own snapshot is older.
-- Raises (SQLSTATE WH409) when a fact is parked: the caller then applies the event the long way,
-- which folds the parked facts in. NULL (no PaymentIntent yet): nothing to lock, nothing parked.
CREATE FUNCTION "payment_intent_unparked"(payment_intent text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF payment_intent IS NULL THEN
    RETURN true;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('pi:' || payment_intent, 0));
  IF EXISTS (SELECT 1 FROM "ParkedPaymentFact" WHERE "paymentIntentId" = payment_intent) THEN
    RAISE EXCEPTION 'facts are parked for payment intent %', payment_intent USING ERRCODE = 'WH409';
  END IF;
  RETURN true;
END
$$;

-- Raises (SQLSTATE WH409, with the reason) unless `ok` is true: the one-statement path checks what
-- it wrote (the donation was as read, the postings wrote all their entries, the event row was
-- inserted) before its implicit commit, and rolls everything back when not.
CREATE FUNCTION "webhook_require"(ok boolean, reason text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'webhook statement refused: %', reason USING ERRCODE = 'WH409';
  END IF;
  RETURN true;
END
$$;

-- Every ledger account created from now on has its running total (LedgerAccountTotal, balance 0,
-- no entries) from the moment it exists, inserted by the statement that creates the account. A
-- statement that locks the totals it will post to (settlementSql: SELECT … FOR UPDATE, in
-- account-id order) then finds every one of them: a total that the first posting to the account
-- inserted after the statement's snapshot was taken would be invisible to it, left unlocked, and
-- then locked by the totals trigger out of order (a deadlock with a posting that saw it). Accounts
-- that exist already keep what they have: those with entries have their totals; one without entries
-- gets its total with its first posting, as before (the webhook's one-statement path then leaves
-- that payment to the long way).
CREATE FUNCTION "ledger_account_total_open"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "LedgerAccountTotal" ("accountId", "balanceFen", entries)
  SELECT n.id, 0, 0 FROM new_accounts n ORDER BY n.id
  ON CONFLICT ("accountId") DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LedgerAccount_total" AFTER INSERT ON "LedgerAccount"
  REFERENCING NEW TABLE AS new_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_account_total_open"();
