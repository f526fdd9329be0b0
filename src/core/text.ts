import type { Language } from './types';

/** A sentence in both of the product's languages; `{name}` placeholders are filled by `say`. */
export interface Bilingual {
  en: string;
  ja: string;
}

export function say(text: Bilingual, language: Language, values: Record<string, string | number> = {}): string {
  return text[language].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
