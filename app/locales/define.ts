/** A catalogue keeps both languages of a message side by side, so neither can be forgotten. */
export type Catalog = Record<string, { zh: string; en: string }>;

export function defineMessages<const C extends Catalog>(catalog: C): C {
  return catalog;
}
