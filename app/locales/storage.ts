import { defineMessages } from "./define";

/** Uploads (receipts, photos, attachments): what the user is told when a file is refused. */
export default defineMessages({
  "upload.error.empty": { zh: "文件是空的，请重新选择", en: "The file is empty; please choose another" },
  "upload.error.tooLarge": { zh: "文件过大（上限 {limit}）", en: "File too large (limit {limit})" },
  "upload.error.wrongType": {
    zh: "不支持该文件类型（按文件内容识别，允许：{allowed}）",
    en: "This type of file is not accepted (judged by its content; allowed: {allowed})",
  },
  "upload.kind.image": { zh: "图片", en: "image" },
  "upload.kind.pdf": { zh: "PDF", en: "PDF" },
  "upload.kind.spreadsheet": { zh: "电子表格", en: "spreadsheet" },
  "upload.kind.document": { zh: "文档", en: "document" },
  "upload.kind.csv": { zh: "CSV 表格", en: "CSV" },
});
