import { defineMessages } from "./define";

/** Issue 7: giving, matching campaigns (messages of the pure rules so far). */
export default defineMessages({
  "donation.amount.required": { zh: "请输入捐赠金额", en: "Enter an amount" },
  "donation.amount.format": { zh: "金额格式不正确，例如 200 或 200.50", en: "Enter an amount such as 200 or 200.50" },
  "donation.amount.decimals": { zh: "金额最多两位小数", en: "At most two decimals" },
  "donation.amount.negative": { zh: "金额不能为负数", en: "The amount cannot be negative" },
  "donation.amount.tooSmall": { zh: "单笔捐赠至少 ¥1", en: "The least you can give is ¥1" },
  "donation.amount.tooLarge": { zh: "单笔捐赠不超过 ¥100,000", en: "The most you can give at once is ¥100,000" },
  "matching.error.ratio": { zh: "配捐比例须为 1 到 100 之间的整数比，例如 1:1", en: "The ratio must be whole numbers from 1 to 100, e.g. 1:1" },
  "matching.error.cap": { zh: "单笔配捐上限须大于零", en: "The per-donation cap must be above zero" },
  "matching.error.window": { zh: "结束时间须晚于开始时间", en: "The end must come after the start" },
});
