-- AlterTable
ALTER TABLE "User" ADD COLUMN     "largeText" BOOLEAN;

-- CreateTable
CREATE TABLE "WechatIdentity" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "openId" TEXT NOT NULL,
    "unionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WechatIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WechatAuthState" (
    "id" TEXT NOT NULL,
    "nonceHash" TEXT NOT NULL,
    "userId" TEXT,
    "redirectTo" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WechatAuthState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WechatIdentity_userId_key" ON "WechatIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "WechatIdentity_unionId_key" ON "WechatIdentity"("unionId");

-- CreateIndex
CREATE UNIQUE INDEX "WechatIdentity_appId_openId_key" ON "WechatIdentity"("appId", "openId");

-- CreateIndex
CREATE UNIQUE INDEX "WechatAuthState_nonceHash_key" ON "WechatAuthState"("nonceHash");

-- CreateIndex
CREATE INDEX "WechatAuthState_expiresAt_idx" ON "WechatAuthState"("expiresAt");

-- AddForeignKey
ALTER TABLE "WechatIdentity" ADD CONSTRAINT "WechatIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
