-- CreateTable
CREATE TABLE "NeedComment" (
    "id" TEXT NOT NULL,
    "needId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "official" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hiddenAt" TIMESTAMP(3),
    "hiddenById" TEXT,
    "hiddenReason" TEXT,

    CONSTRAINT "NeedComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedFollow" (
    "needId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NeedFollow_pkey" PRIMARY KEY ("needId","userId")
);

-- CreateIndex
CREATE INDEX "NeedComment_needId_createdAt_id_idx" ON "NeedComment"("needId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "NeedComment_authorId_idx" ON "NeedComment"("authorId");

-- CreateIndex
CREATE INDEX "NeedFollow_userId_idx" ON "NeedFollow"("userId");

-- CreateIndex
CREATE INDEX "Need_authorId_createdAt_idx" ON "Need"("authorId", "createdAt");

-- AddForeignKey
ALTER TABLE "NeedComment" ADD CONSTRAINT "NeedComment_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedComment" ADD CONSTRAINT "NeedComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedComment" ADD CONSTRAINT "NeedComment_hiddenById_fkey" FOREIGN KEY ("hiddenById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedFollow" ADD CONSTRAINT "NeedFollow_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedFollow" ADD CONSTRAINT "NeedFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Comments are shown on a need's public page: they move the public-data version (ADR 020). A
-- follow shows only to the follower (signed in, never served from the anonymous cache), so
-- NeedFollow is listed in EXCLUDED_FROM_PUBLIC_VERSION instead.
CREATE TRIGGER public_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "NeedComment" FOR EACH STATEMENT EXECUTE FUNCTION public_data_changed();

-- The author of every existing need follows it, as a newly posted need's author does.
INSERT INTO "NeedFollow" ("needId", "userId", "createdAt")
SELECT n.id, n."authorId", n."createdAt" FROM "Need" n JOIN "User" u ON u.id = n."authorId"
WHERE u."deletedAt" IS NULL
ON CONFLICT DO NOTHING;
