-- The public-data version moves with the government appropriations (the foundations' money pages
-- and the ledger they are posted to) and the payment disputes (a gift's page explains a lost one):
-- tables added after the version, given its trigger as every other table a public page may read.
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Appropriation" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PaymentDispute" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
