-- CreateEnum
CREATE TYPE "VolunteerStatus" AS ENUM ('PENDING', 'CONFIRMED', 'DECLINED');

-- CreateEnum
CREATE TYPE "WishStatus" AS ENUM ('OPEN', 'TAKEN', 'FULFILLED', 'CONFIRMED', 'DISPUTED', 'RESOLVED');

-- AlterTable
ALTER TABLE "Area" ADD COLUMN     "smallWishLimitFen" INTEGER;

-- CreateTable
CREATE TABLE "Volunteer" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "partyMember" BOOLEAN NOT NULL DEFAULT false,
    "partyBranch" TEXT,
    "skills" TEXT NOT NULL,
    "availability" TEXT NOT NULL,
    "showOnWall" BOOLEAN NOT NULL DEFAULT false,
    "status" "VolunteerStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Volunteer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Wish" (
    "id" TEXT NOT NULL,
    "needId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "valueFen" INTEGER NOT NULL,
    "status" "WishStatus" NOT NULL DEFAULT 'OPEN',
    "markedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "takerVolunteerId" TEXT,
    "takerOrganizationId" TEXT,
    "takenById" TEXT,
    "takenAt" TIMESTAMP(3),
    "fulfilledAt" TIMESTAMP(3),
    "fulfilmentNote" TEXT,
    "fulfilmentMinutes" INTEGER,
    "photoUploadId" TEXT,
    "answeredAt" TIMESTAMP(3),
    "answeredById" TEXT,
    "disputeReason" TEXT,
    "ruledAt" TIMESTAMP(3),
    "ruledById" TEXT,
    "rulingFulfilled" BOOLEAN,
    "rulingReason" TEXT,

    CONSTRAINT "Wish_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerHours" (
    "id" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "volunteerId" TEXT,
    "organizationId" TEXT,
    "minutes" INTEGER NOT NULL,
    "wishId" TEXT,
    "projectId" TEXT,
    "servedOn" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VolunteerHours_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Volunteer_areaId_status_idx" ON "Volunteer"("areaId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Volunteer_userId_areaId_key" ON "Volunteer"("userId", "areaId");

-- CreateIndex
CREATE UNIQUE INDEX "Wish_needId_key" ON "Wish"("needId");

-- CreateIndex
CREATE INDEX "Wish_areaId_status_idx" ON "Wish"("areaId", "status");

-- CreateIndex
CREATE INDEX "Wish_takerVolunteerId_idx" ON "Wish"("takerVolunteerId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerHours_wishId_key" ON "VolunteerHours"("wishId");

-- CreateIndex
CREATE INDEX "VolunteerHours_areaId_idx" ON "VolunteerHours"("areaId");

-- CreateIndex
CREATE INDEX "VolunteerHours_volunteerId_servedOn_idx" ON "VolunteerHours"("volunteerId", "servedOn");

-- CreateIndex
CREATE INDEX "VolunteerHours_projectId_idx" ON "VolunteerHours"("projectId");

-- AddForeignKey
ALTER TABLE "Volunteer" ADD CONSTRAINT "Volunteer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Volunteer" ADD CONSTRAINT "Volunteer_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_takerVolunteerId_fkey" FOREIGN KEY ("takerVolunteerId") REFERENCES "Volunteer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_takerOrganizationId_fkey" FOREIGN KEY ("takerOrganizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_photoUploadId_fkey" FOREIGN KEY ("photoUploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_volunteerId_fkey" FOREIGN KEY ("volunteerId") REFERENCES "Volunteer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_wishId_fkey" FOREIGN KEY ("wishId") REFERENCES "Wish"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ───── hand-written: bounds of hours and values, public-data version ─────
-- Hours are whole quarter hours, positive, at most 24 hours an entry (domain/volunteers.ts); an
-- entry belongs to a volunteer or to a pairing unit; a wish's value is never negative.
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_minutes" CHECK ("minutes" > 0 AND "minutes" <= 1440 AND "minutes" % 15 = 0);
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_who" CHECK ("volunteerId" IS NOT NULL OR "organizationId" IS NOT NULL);
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_value" CHECK ("valueFen" >= 0);

-- The community's volunteer page (open, taken, fulfilled wishes, hours, the volunteer wall) is
-- public: these tables move the public-data version (ADR 020).
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Volunteer" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Wish" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "VolunteerHours" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
