-- CreateEnum
CREATE TYPE "MessageChannel" AS ENUM ('EMAIL', 'SMS');

-- CreateEnum
CREATE TYPE "SmsCodePurpose" AS ENUM ('SIGN_IN', 'CHANGE_PHONE');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "notifyBy" "MessageChannel" NOT NULL DEFAULT 'EMAIL',
ADD COLUMN     "phoneEnc" TEXT,
ADD COLUMN     "phoneHmac" TEXT,
ADD COLUMN     "phoneVerifiedAt" TIMESTAMP(3),
ALTER COLUMN "email" DROP NOT NULL;

-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN     "channel" "MessageChannel" NOT NULL DEFAULT 'EMAIL',
ADD COLUMN     "smsParams" JSONB;

-- CreateTable
CREATE TABLE "SmsCode" (
    "id" TEXT NOT NULL,
    "purpose" "SmsCodePurpose" NOT NULL,
    "phoneHmac" TEXT NOT NULL,
    "userId" TEXT,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SmsCode_phoneHmac_purpose_createdAt_idx" ON "SmsCode"("phoneHmac", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "SmsCode_userId_idx" ON "SmsCode"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "User_phoneHmac_key" ON "User"("phoneHmac");

-- AddForeignKey
ALTER TABLE "SmsCode" ADD CONSTRAINT "SmsCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
