const REGIONAL_INDICATOR_A = 0x1f1e6;

/** The emoji flag of a two-letter ISO 3166 country code (`US` -> 🇺🇸); undefined for anything else. */
export function countryFlag(countryCode: string | undefined): string | undefined {
  if (countryCode === undefined || !/^[A-Za-z]{2}$/.test(countryCode)) return undefined;
  const upper = countryCode.toUpperCase();
  return String.fromCodePoint(
    REGIONAL_INDICATOR_A + upper.charCodeAt(0) - 65,
    REGIONAL_INDICATOR_A + upper.charCodeAt(1) - 65,
  );
}
