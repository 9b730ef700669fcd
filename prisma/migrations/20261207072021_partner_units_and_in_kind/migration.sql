-- CreateEnum
CREATE TYPE "InKindKind" AS ENUM ('GOODS', 'SERVICE');

-- CreateEnum
CREATE TYPE "InKindValuationBasis" AS ENUM ('MARKET', 'INVOICE', 'AGREED', 'NONE');

-- AlterTable
ALTER TABLE "MatchingCampaign" ADD COLUMN     "sponsorUnitId" TEXT;

-- AlterTable
ALTER TABLE "Wish" ADD COLUMN     "takerPartnerUnitId" TEXT;

-- AlterTable
ALTER TABLE "VolunteerHours" ADD COLUMN     "partnerUnitId" TEXT;

-- CreateTable
CREATE TABLE "PartnerUnit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uscc" TEXT NOT NULL,
    "intro" TEXT NOT NULL DEFAULT '',
    "contactName" TEXT NOT NULL,
    "contactPhoneEnc" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerPairing" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "endedOn" TIMESTAMP(3),
    "createdById" TEXT,
    "endedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerPairing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerMember" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "grantedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "PartnerMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectAdoption" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "adoptedOn" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectAdoption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InKindGift" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "unitId" TEXT,
    "giverName" TEXT,
    "giverPublic" BOOLEAN NOT NULL DEFAULT false,
    "kind" "InKindKind" NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitLabel" TEXT NOT NULL,
    "valuationBasis" "InKindValuationBasis" NOT NULL,
    "valueFen" INTEGER,
    "areaId" TEXT NOT NULL,
    "projectId" TEXT,
    "forCharityShop" BOOLEAN NOT NULL DEFAULT false,
    "receivedOn" TIMESTAMP(3) NOT NULL,
    "receivedById" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersedesId" TEXT,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "correctionReason" TEXT,

    CONSTRAINT "InKindGift_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PartnerUnit_uscc_key" ON "PartnerUnit"("uscc");

-- CreateIndex
CREATE INDEX "PartnerPairing_areaId_idx" ON "PartnerPairing"("areaId");

-- CreateIndex
CREATE INDEX "PartnerPairing_unitId_idx" ON "PartnerPairing"("unitId");

-- CreateIndex
CREATE INDEX "PartnerMember_unitId_idx" ON "PartnerMember"("unitId");

-- CreateIndex
CREATE INDEX "PartnerMember_userId_idx" ON "PartnerMember"("userId");

-- CreateIndex
CREATE INDEX "ProjectAdoption_projectId_idx" ON "ProjectAdoption"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectAdoption_unitId_projectId_key" ON "ProjectAdoption"("unitId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "InKindGift_number_key" ON "InKindGift"("number");

-- CreateIndex
CREATE UNIQUE INDEX "InKindGift_supersedesId_key" ON "InKindGift"("supersedesId");

-- CreateIndex
CREATE INDEX "InKindGift_areaId_idx" ON "InKindGift"("areaId");

-- CreateIndex
CREATE INDEX "InKindGift_unitId_idx" ON "InKindGift"("unitId");

-- CreateIndex
CREATE INDEX "InKindGift_projectId_idx" ON "InKindGift"("projectId");

-- CreateIndex
CREATE INDEX "MatchingCampaign_sponsorUnitId_idx" ON "MatchingCampaign"("sponsorUnitId");

-- AddForeignKey
ALTER TABLE "MatchingCampaign" ADD CONSTRAINT "MatchingCampaign_sponsorUnitId_fkey" FOREIGN KEY ("sponsorUnitId") REFERENCES "PartnerUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wish" ADD CONSTRAINT "Wish_takerPartnerUnitId_fkey" FOREIGN KEY ("takerPartnerUnitId") REFERENCES "PartnerUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_partnerUnitId_fkey" FOREIGN KEY ("partnerUnitId") REFERENCES "PartnerUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerPairing" ADD CONSTRAINT "PartnerPairing_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "PartnerUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerPairing" ADD CONSTRAINT "PartnerPairing_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerMember" ADD CONSTRAINT "PartnerMember_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "PartnerUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerMember" ADD CONSTRAINT "PartnerMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAdoption" ADD CONSTRAINT "ProjectAdoption_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "PartnerUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAdoption" ADD CONSTRAINT "ProjectAdoption_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "PartnerUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "InKindGift"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- hand-written below (ADR 040)

-- one open pairing per unit and community; one live membership per unit and account
CREATE UNIQUE INDEX "PartnerPairing_open_key" ON "PartnerPairing" ("unitId", "areaId") WHERE "endedOn" IS NULL;
CREATE UNIQUE INDEX "PartnerMember_live_key" ON "PartnerMember" ("unitId", "userId") WHERE "revokedAt" IS NULL;

-- an in-kind gift: a giver (a unit or a named giver, one of them), a positive quantity, a value exactly
-- when it has a basis, never negative
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_giver" CHECK (("unitId" IS NULL) <> ("giverName" IS NULL));
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_quantity" CHECK ("quantity" > 0);
ALTER TABLE "InKindGift" ADD CONSTRAINT "InKindGift_value" CHECK (("valuationBasis" = 'NONE') = ("valueFen" IS NULL) AND coalesce("valueFen", 0) >= 0);

-- the register is append-only: corrections and withdrawals are new rows
CREATE TRIGGER "InKindGift_append_only" BEFORE UPDATE OR DELETE ON "InKindGift"
  FOR EACH ROW EXECUTE FUNCTION "forbid_change"();

-- a taken wish has one taker; hours belong to a volunteer, an organization or a partner unit
ALTER TABLE "VolunteerHours" DROP CONSTRAINT "VolunteerHours_who";
ALTER TABLE "VolunteerHours" ADD CONSTRAINT "VolunteerHours_who" CHECK ("volunteerId" IS NOT NULL OR "organizationId" IS NOT NULL OR "partnerUnitId" IS NOT NULL);

-- public pages show units, pairings, adoptions, gifts (ADR 020)
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PartnerUnit" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PartnerPairing" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "PartnerMember" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ProjectAdoption" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "InKindGift" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();
