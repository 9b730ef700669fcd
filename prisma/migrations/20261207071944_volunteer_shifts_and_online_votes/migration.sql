-- CreateEnum
CREATE TYPE "OnlineVoteChoice" AS ENUM ('FOR', 'AGAINST', 'ABSTAIN');

-- AlterTable
ALTER TABLE "Matter" ADD COLUMN     "onlineVotingClosedAt" TIMESTAMP(3),
ADD COLUMN     "onlineVotingClosedById" TEXT,
ADD COLUMN     "onlineVotingOpenedAt" TIMESTAMP(3),
ADD COLUMN     "onlineVotingOpenedById" TEXT;

-- AlterTable
ALTER TABLE "VolunteerHours" ADD COLUMN     "reversesId" TEXT;

-- CreateTable
CREATE TABLE "MatterOnlineVote" (
    "id" TEXT NOT NULL,
    "matterId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "choice" "OnlineVoteChoice" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatterOnlineVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MatterOnlineVote_userId_idx" ON "MatterOnlineVote"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "MatterOnlineVote_matterId_userId_key" ON "MatterOnlineVote"("matterId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerHours_reversesId_key" ON "VolunteerHours"("reversesId");

-- AddForeignKey
ALTER TABLE "MatterOnlineVote" ADD CONSTRAINT "MatterOnlineVote_matterId_fkey" FOREIGN KEY ("matterId") REFERENCES "Matter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatterOnlineVote" ADD CONSTRAINT "MatterOnlineVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_reversesId_fkey" FOREIGN KEY ("reversesId") REFERENCES "VolunteerHours"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written below.

-- A shift is corrected by a reversal row (negative minutes, pointing at the entry it cancels),
-- never by editing the entry: an entry is positive quarter hours up to 24 h; a reversal is the
-- negative of one, and a reversal cannot itself be reversed (the service checks it too).
ALTER TABLE "VolunteerHours" DROP CONSTRAINT "VolunteerHours_minutes";
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_minutes" CHECK (
  "minutes" % 15 = 0 AND (
    ("reversesId" IS NULL AND "minutes" > 0 AND "minutes" <= 1440)
    OR ("reversesId" IS NOT NULL AND "minutes" < 0 AND "minutes" >= -1440)
  )
);

-- The hours and day of an entry never change once written (a correction is a reversal and a
-- new entry); links to rows that go away may still be emptied (ON DELETE SET NULL).
CREATE FUNCTION volunteer_hours_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."minutes" IS DISTINCT FROM OLD."minutes" OR NEW."servedOn" IS DISTINCT FROM OLD."servedOn" THEN
    RAISE EXCEPTION 'volunteer hours are corrected by a reversal, not edited' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER volunteer_hours_fixed BEFORE UPDATE ON "VolunteerHours" FOR EACH ROW EXECUTE FUNCTION volunteer_hours_fixed();

-- The online tally is on the matter's public page (ADR 020).
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MatterOnlineVote" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
