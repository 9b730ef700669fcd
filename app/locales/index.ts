import common from "./common";
import email from "./email";
import publicPages from "./public";

/**
 * All message catalogues. Each feature keeps its own file (both languages side by side) and is
 * listed here once.
 */
export const messages = {
  ...common,
  ...email,
  ...publicPages,
};

export type MessageKey = keyof typeof messages;
