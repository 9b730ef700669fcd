import { defineMessages } from "./define";

/** Issue 5 messages (filled by its feature). */
export default defineMessages({});
