-- AlterTable
ALTER TABLE "WechatIdentity" ADD COLUMN     "openIdHmac" TEXT,
ADD COLUMN     "unionIdHmac" TEXT,
ALTER COLUMN "openId" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "WechatIdentity_unionIdHmac_key" ON "WechatIdentity"("unionIdHmac");

-- CreateIndex
CREATE UNIQUE INDEX "WechatIdentity_appId_openIdHmac_key" ON "WechatIdentity"("appId", "openIdHmac");
